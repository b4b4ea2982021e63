//! nabo-web
