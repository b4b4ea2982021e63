//! nabo-planning
