// AssayStats
