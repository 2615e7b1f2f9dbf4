// Complex numbers as vec2 (re, im).
#ifndef AUDIOSPLAT_COMPLEX_GLSL
#define AUDIOSPLAT_COMPLEX_GLSL

vec2 cmul(vec2 a, vec2 b) { return vec2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
vec2 cconj(vec2 a) { return vec2(a.x, -a.y); }
vec2 ctimesI(vec2 a) { return vec2(-a.y, a.x); }

#endif
