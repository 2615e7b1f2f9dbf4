// The push constants of the chunked tonal scan (atom_tonal_chunks/sum.comp) and the order in
// which it visits samples: forward for the render's c_j, mirrored for the backward pass's r_j.
#ifndef AUDIOSPLAT_ATOM_TONAL_ORDER_GLSL
#define AUDIOSPLAT_ATOM_TONAL_ORDER_GLSL

#define TONAL_SCAN_PUSH                                                          \
  layout(push_constant) uniform Push {                                           \
    uint samples; /* L */                                                        \
    uint chunk;   /* samples per chunk */                                        \
    uint chunks;  /* L / chunk */                                                \
    uint reverse; /* 1: from the last sample back */                            \
  } p;

// Step n of chunk k: sample k chunk + n, or its mirror L - 1 - (k chunk + n).
#define scanSample(k, n) \
  (p.reverse == 0u ? (k) * p.chunk + (n) : p.samples - 1u - ((k) * p.chunk + (n)))

#endif
