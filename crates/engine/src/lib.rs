//! nabo-engine
