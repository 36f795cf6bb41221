add_library(rope INTERFACE)  # placeholder until lib/rope lands
