#include "gpu/atom_params.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <string>

#include "model/atom_pipeline.h"
#include "model/fractional_delay.h"
#include "model/reference_renderer.h"

namespace audiosplat::gpu {
namespace {

using Complex = std::complex<double>;

void packEnvelope(const Atom& atom, double fs, AtomParams& p) {
  const double k = atom.attackShape, theta = atom.attackScale;
  if (atom.envelope == Envelope::Gaussian) {
    p.envelope = EnvelopeKind::Gaussian;
    p.envShape = float(std::sqrt(k));
    p.envRate = float(1.0 / (fs * std::sqrt(k) * theta));
  } else if (k == 1.0) {
    p.envelope = EnvelopeKind::Decay;
    p.envRate = float(1.0 / (fs * theta));
  } else {
    p.envelope = EnvelopeKind::Gamma;
    p.envShape = float(k - 1.0);
    p.envRate = float(1.0 / (fs * (k - 1.0) * theta));
  }
}

// The audible partials as the reference lists them, with p_j^chunk for the chunked scan.
void packPartials(const Atom& atom, double fs, AtomParams& p) {
  if (atom.partials > kMaxPartials)
    throw std::invalid_argument("atom has " + std::to_string(atom.partials) +
                                " partials; at most " + std::to_string(kMaxPartials) +
                                " are allowed");
  for (const reference::Partial& partial : reference::audiblePartials(atom, fs)) {
    const Complex z = Complex(-partial.decayRate, 2.0 * M_PI * partial.frequency) / fs;
    const Complex chunkPole = std::exp(double(kTonalChunk) * z);
    float* out = p.poles[p.partials];
    out[0] = float(partial.pole.real());
    out[1] = float(partial.pole.imag());
    out[2] = float(chunkPole.real());
    out[3] = float(chunkPole.imag());
    p.amplitudes[p.partials++] = float(partial.amplitude);
  }
}

int32_t clampToSegment(int64_t sample, uint32_t segment) {
  return int32_t(std::clamp<int64_t>(sample, 0, segment));
}

}  // namespace

void splitDouble(double x, float out[2]) {
  out[0] = float(x);
  out[1] = float(x - double(out[0]));
}

const Room* effectiveRoom(const Atom& atom, const AtomSet& context) {
  if (atom.room < 0) return nullptr;
  if (atom.room >= int(context.rooms.size()))
    throw std::invalid_argument("atom refers to room " + std::to_string(atom.room) + " but only " +
                                std::to_string(context.rooms.size()) + " exist");
  const Room& room = context.rooms[atom.room];
  return room.norm() > 0.0 ? &room : nullptr;
}

AtomParams packAtom(const Atom& atom, const AtomSet& context, int64_t start, uint32_t segment,
                    uint32_t slot) {
  const double fs = context.sampleRate;
  const int L = context.atomLength;
  AtomParams p{};
  p.slot = slot;
  const Room* room = effectiveRoom(atom, context);
  p.room = room ? atom.room : -1;
  p.span = uint32_t(L + (room ? room->impulse.size() - 1 : 0));
  splitDouble(std::log2(fs / (double(L) * atom.noiseCentre)), p.bandOffset);
  p.bandInvWidth = float(1.0 / atom.noiseWidth);
  packEnvelope(atom, fs, p);
  packPartials(atom, fs, p);
  p.tonalMix = float(atom.tonalMix);
  p.gain = float(atom.gain);
  p.wet = float(atom.roomWet);

  // Onset D = I + f as in the reference: the whole part places, the fraction picks the taps.
  const double d = atom.onset * fs, whole = std::floor(d);
  const reference::DelayTaps taps = reference::delayTaps(d - whole);
  for (uint32_t i = 0; i < kAtomTaps; ++i) {
    p.taps[i] = float(taps.value[i]);
    p.slopes[i] = float(taps.slope[i]);
  }
  // Far from the segment the onset is irrelevant (first == last); keep it in int range.
  p.onset = int32_t(std::clamp<double>(whole - double(start), -(1 << 30), 1 << 30));
  const auto [first, last] = reference::atomSpan(atom, context);
  p.first = clampToSegment(first - start, segment);
  p.last = clampToSegment(last - start, segment);
  return p;
}

}  // namespace audiosplat::gpu
