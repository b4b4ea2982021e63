//! nabo-domain
