//! nabo-store
