# attn-sweep: one executable over lib/attn (softmax sweeps: cmake/topics/attn.cmake) and lib/rope
# (the RoPE base bound: cmake/topics/rope.cmake). Each of those files defines its library (attn, rope)
# and its tests; this one only joins them into the tool.
mlderiv_tool(attn-sweep tools/attn_sweep.cpp tools/attn_sweep_softmax.cpp tools/attn_sweep_rope.cpp)
target_include_directories(attn-sweep PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(attn-sweep PRIVATE mlderiv::attn mlderiv::rope mlderiv::core)
suite_reproduce_test(attn-sweep)
