#pragma once
// The multiband loss (docs/atom-model.md, "Losses"): octave bands of the segment, each
// analysed by three small STFTs, plus a full-band STFT; the L1 distance between the
// target's features and the SUM of every atom's features. Exact double-precision
// reference with hand-written gradients. All functions are free of shared mutable state:
// a caller may run the per-atom ones (features, backward) on several threads at once.
#include <cstddef>
#include <span>
#include <vector>

namespace audiosplat::loss {

// The full-band STFT needs one 2048-sample frame: N must be a power of two >= this.
inline constexpr size_t kMultibandMinLength = 2048;

// Where each feature group sits in the concatenated feature vector of one signal.
struct FeatureLayout {
  struct Group {
    int bandSize;  // length s of the band signal; 0 for the full-band STFT of x itself
    int window, hop, frames, bins;
    size_t offset;  // index of the group's first feature (frame-major: t * bins + k)
    size_t size() const { return size_t(frames) * size_t(bins); }
  };
  size_t length = 0;  // N, the signal length
  std::vector<Group> groups;
  size_t total = 0;  // features of one signal, all groups
};

// Groups in order: for s = 512, 1024, ..., N the STFTs (128, 64), (64, 32), (16, 8) of band
// s, then the full-band (2048, 256). Throws std::invalid_argument unless N is a power of two
// >= kMultibandMinLength.
FeatureLayout multibandLayout(size_t length);

// The magnitudes of every group of x, concatenated as multibandLayout(x.size()) says.
std::vector<double> multibandFeatures(std::span<const double> x);

// sum over groups of mean |target - summed|; with gradFeatures, also dLoss/dsummed
// (sign(summed - target) / group size; 0 where they are equal).
double multibandLoss(std::span<const double> targetFeatures, std::span<const double> summedFeatures,
                     const FeatureLayout& layout, std::vector<double>* gradFeatures);

// Vector-Jacobian product: dLoss/dx given dLoss/dFeatures at x, for one signal x.
std::vector<double> multibandFeaturesBackward(std::span<const double> x,
                                              std::span<const double> gradFeatures);

// What the fit calls: the loss between the target's features and the sum of every atom's
// features (each atom's signal over the segment, all of length N); with gradAtomSignals,
// also dLoss/dx_i for every atom. Runs the atoms one after the other; throws
// std::invalid_argument when there is no atom or a length differs.
double multibandLossForAtoms(std::span<const double> targetFeatures,
                             const std::vector<std::vector<double>>& atomSignals,
                             std::vector<std::vector<double>>* gradAtomSignals);

}  // namespace audiosplat::loss
