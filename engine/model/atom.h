#pragma once
// One atom of the model (docs/atom-model.md): thirteen continuous parameters in
// physical units plus four discrete choices. A plain value type, cheap to copy.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace audiosplat {

enum class Envelope : uint8_t { Gamma = 0, Gaussian = 1 };

// Index of each continuous parameter; the order is the order of gradients,
// raw optimizer vectors and the atom file's documentation.
enum class Param : int {
  Onset = 0,       // t0, seconds (absolute time in the document)
  Gain,            // g, linear amplitude: sqrt of the atom's energy
  AttackShape,     // k, gamma shape, 1..20
  AttackScale,     // theta, seconds
  NoiseCentre,     // fc, Hz
  NoiseWidth,      // bw, octaves
  Fundamental,     // f0, Hz
  Inharmonicity,   // B
  Tilt,            // rho, dB per octave
  Decay,           // T60 of the first partial, seconds
  DampingSlope,    // beta
  TonalMix,        // m, 0..1
  RoomWet,         // w, 0..1
};
constexpr int kParamCount = 13;
using ParamVector = std::array<double, kParamCount>;

struct ParamInfo {
  std::string_view key;   // stable name used in files and the UI
  std::string_view unit;  // physical unit shown to people
  double min;             // valid range, inclusive
  double max;
};
// Range and naming of every continuous parameter. Ranges that depend on the
// working rate (fc, f0 up to fs/2) are given for fs = 0 as 0 and clamped by
// clampToRange(atom, fs).
const ParamInfo& paramInfo(Param p);

struct Atom {
  double onset = 0.0;          // s
  double gain = 1.0;           // linear
  double attackShape = 2.0;    // k
  double attackScale = 0.005;  // theta, s
  double noiseCentre = 2000.0; // Hz
  double noiseWidth = 1.0;     // octaves
  double fundamental = 220.0;  // Hz
  double inharmonicity = 0.0;  // B
  double tilt = -6.0;          // dB/octave
  double decay = 0.5;          // T60, s
  double dampingSlope = 0.5;   // beta
  double tonalMix = 0.8;       // m
  double roomWet = 0.0;        // w

  int room = -1;               // index into the document's rooms; -1 = none
  Envelope envelope = Envelope::Gamma;
  int partials = 16;           // K, 1..64
  uint32_t seed = 0;           // noise seed

  double get(Param p) const;
  void set(Param p, double value);
  ParamVector params() const;
  void setParams(const ParamVector& v);

  bool operator==(const Atom&) const = default;
};

constexpr int kMaxPartials = 64;

// Clamps every parameter into its valid range (fc, f0 below fs/2) and the discrete
// choices into theirs; NaN becomes the range's lower bound.
void clampToRange(Atom& atom, double sampleRate);
// True when every parameter is finite and inside its range.
bool isValid(const Atom& atom, double sampleRate);

}  // namespace audiosplat
