#include "gpu/atom_gradient_chain.h"

#include <cmath>
#include <complex>

#include "gpu/atom_backward.h"
#include "gpu/atom_params.h"
#include "model/atom_pipeline.h"

namespace audiosplat::gpu {
namespace {

using Complex = std::complex<double>;

double norm(float sumOfSquares) { return std::sqrt(double(sumOfSquares) + 1e-30); }

}  // namespace

ParamVector chainAtomGradient(const Atom& atom, const AtomSet& context, std::span<const float> slots,
                              std::span<const float> partials, std::span<const float> sums) {
  using B = AtomBackward;
  ParamVector grad{};
  const double fs = context.sampleRate;
  grad[int(Param::Onset)] = -fs * slots[B::OnsetSum];
  if (effectiveRoom(atom, context)) grad[int(Param::RoomWet)] = slots[B::WetSum];
  grad[int(Param::Gain)] = slots[B::MixedDot] / norm(sums[3]);
  grad[int(Param::TonalMix)] = slots[B::TonalDot] / norm(sums[2]) - slots[B::ExcitationDot] / norm(sums[1]);

  // Partials: the pole's sum S_j and dL/da_j, through f_j and alpha_j as the reference.
  size_t entry = 0;
  for (const reference::Partial& p : reference::audiblePartials(atom, fs)) {
    const float* v = &partials[entry++ * B::kPartialValues];
    reference::addPartialGradient(atom, p, Complex(v[0], v[1]), v[2], fs, grad);
  }

  // Envelope (shaders/atom_excite_backward.comp says what the two sums are).
  const double k = atom.attackShape, theta = atom.attackScale;
  const double A = slots[B::EnvelopeA], Bs = slots[B::EnvelopeB];
  if (atom.envelope == Envelope::Gaussian) {
    grad[int(Param::AttackShape)] = 0.5 / k * A + 0.5 / std::sqrt(k) * Bs;
    grad[int(Param::AttackScale)] = A / theta;
  } else if (k == 1.0) {
    grad[int(Param::AttackScale)] = Bs / theta;
  } else {
    grad[int(Param::AttackShape)] = A;
    grad[int(Param::AttackScale)] = (k - 1.0) / theta * Bs;
  }

  // Band gains.
  grad[int(Param::NoiseCentre)] = slots[B::BandA] / (atom.noiseWidth * atom.noiseCentre * M_LN2);
  grad[int(Param::NoiseWidth)] = slots[B::BandB] / atom.noiseWidth;
  return grad;
}

}  // namespace audiosplat::gpu
