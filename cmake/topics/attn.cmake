add_library(attn INTERFACE)  # placeholder until lib/attn lands
