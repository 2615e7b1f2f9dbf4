#include "gpu/atom_renderer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "dsp/fft.h"
#include "gpu/atom_params.h"
#include "gpu/context.h"
#include "model/atom_pipeline.h"
#include "model/reference_renderer.h"

namespace audiosplat::gpu {
namespace {

constexpr uint32_t kPreferredSegment = 1u << 17;  // renderSegment's pieces (~6 s at 22050 Hz)

uint32_t checkedLength(const AtomSet& document) {
  const int L = document.atomLength;
  if (L < int(2 * AtomKernels::kTaperLength) || !std::has_single_bit(uint32_t(L)))
    throw std::invalid_argument(
        "AtomRenderer: the atom length must be a power of two >= 512, not " + std::to_string(L));
  return uint32_t(L);
}

uint32_t checkedMaxAtoms(uint32_t maxAtoms) {
  if (maxAtoms == 0 || maxAtoms > 65535)
    throw std::invalid_argument("AtomRenderer: maxAtoms must be 1 .. 65535");
  return maxAtoms;
}

// P: the power of two that holds the longest linear convolution with a room; 0 without rooms.
uint32_t roomFftLength(const AtomSet& document) {
  size_t longest = 0;
  for (const Room& room : document.rooms)
    if (room.norm() > 0.0) longest = std::max(longest, room.impulse.size());
  if (longest == 0) return 0;
  return uint32_t(dsp::nextPowerOfTwo(size_t(document.atomLength) + longest - 1));
}

Buffer floats(Context& context, const std::vector<float>& values) {
  Buffer buffer(context, values.size() * 4);
  buffer.upload(values);
  return buffer;
}

// log2 q for q <= L/2 as hi + lo pairs (q = 0 is unused).
std::vector<float> log2Table(uint32_t L) {
  std::vector<float> table(L + 2, 0.0f);
  for (uint32_t q = 1; q <= L / 2; ++q) splitDouble(std::log2(double(q)), &table[2 * q]);
  return table;
}

std::vector<float> taperTable(uint32_t L) {
  std::vector<float> table(AtomKernels::kTaperLength);
  for (uint32_t i = 0; i < table.size(); ++i)
    table[i] = float(reference::endTaper(int(L - 1 - i), int(L)));
  return table;
}

// rfft(R zero-padded to P) / |R| per room, in double; zeros for silent rooms (never used).
std::vector<float> roomSpectra(const AtomSet& document, uint32_t P) {
  const size_t bins = P / 2 + 1;
  std::vector<float> out(document.rooms.size() * bins * 2, 0.0f);
  for (size_t r = 0; r < document.rooms.size(); ++r) {
    const Room& room = document.rooms[r];
    if (room.norm() <= 0.0) continue;
    std::vector<double> padded(P, 0.0);
    std::copy(room.impulse.begin(), room.impulse.end(), padded.begin());
    const std::vector<dsp::Complex> spectrum = dsp::rfft(padded);
    for (size_t q = 0; q < bins; ++q) {
      out[(r * bins + q) * 2] = float(spectrum[q].real() / room.norm());
      out[(r * bins + q) * 2 + 1] = float(spectrum[q].imag() / room.norm());
    }
  }
  return out;
}

uint32_t maxSegmentFor(const Context& context, uint32_t maxAtoms) {
  const uint64_t fits = context.limits().maxStorageBufferBytes / (4ull * maxAtoms);
  return std::bit_floor(uint32_t(std::clamp<uint64_t>(fits, 1, kPreferredSegment)));
}

AtomSet withoutAtoms(const AtomSet& document) {
  AtomSet out = document;
  out.atoms.clear();
  return out;
}

}  // namespace

AtomRenderer::AtomRenderer(Context& context, const AtomSet& document, uint32_t maxAtoms)
    : context_(context),
      document_(withoutAtoms(document)),
      maxAtoms_(checkedMaxAtoms(maxAtoms)),
      length_(checkedLength(document)),
      roomLength_(roomFftLength(document)),
      maxSegment_(maxSegmentFor(context, maxAtoms)),
      kernels_(context, length_),
      fft_(context, length_, maxAtoms),
      params_(context, size_t(maxAtoms) * sizeof(AtomParams)),
      sums_(context, size_t(maxAtoms) * 4 * 4),
      log2Table_(floats(context, log2Table(length_))),
      taper_(floats(context, taperTable(length_))),
      spectrum_(context, size_t(maxAtoms) * (std::max(length_, roomLength_) / 2 + 1) * 8),
      band_(context, size_t(maxAtoms) * length_ * 4),
      excitation_(context, size_t(maxAtoms) * length_ * 4),
      tonal_(context, size_t(maxAtoms) * length_ * 4),
      mixed_(context, size_t(maxAtoms) * length_ * 4),
      states_(context, size_t(maxAtoms) * kMaxPartials * (length_ / kTonalChunk) * 8),
      dry_(context, size_t(maxAtoms) * std::max(length_, roomLength_) * 4),
      noise_(context, fft_, maxAtoms),
      own_(context) {
  if (roomLength_ > 0) {
    roomFft_.emplace(context, roomLength_, maxAtoms);
    wet_.emplace(context, size_t(maxAtoms) * roomLength_ * 4);
    roomSpectra_.emplace(floats(context, roomSpectra(document_, roomLength_)));
  }
}

void AtomRenderer::reserveSegment(uint32_t length) {
  if (length <= segmentCapacity_) return;
  placed_.emplace(context_, size_t(maxAtoms_) * length * 4);
  mixdown_.emplace(context_, size_t(length) * 4);
  segmentCapacity_ = length;
}

void AtomRenderer::prepare(std::span<const Atom> atoms, int64_t start, uint32_t length) {
  if (atoms.size() > maxAtoms_)
    throw std::invalid_argument("AtomRenderer::prepare: " + std::to_string(atoms.size()) +
                                " atoms, at most " + std::to_string(maxAtoms_));
  if (length == 0 || length > maxSegment_)
    throw std::invalid_argument("AtomRenderer::prepare: segment length must be 1 .. " +
                                std::to_string(maxSegment_));
  std::vector<AtomParams> params;
  std::vector<uint32_t> seeds;
  bool rooms = false;
  for (const Atom& atom : atoms) {
    params.push_back(packAtom(atom, document_, start, length, 0));
    seeds.push_back(atom.seed);
    rooms = rooms || params.back().room >= 0;
  }
  const std::vector<uint32_t> cacheSlots = noise_.acquire(seeds, band_, spectrum_);
  for (size_t i = 0; i < params.size(); ++i) params[i].slot = cacheSlots[i];
  if (!params.empty()) params_.write(0, params.data(), params.size() * sizeof(AtomParams));
  reserveSegment(length);
  shape_ = {uint32_t(atoms.size()), length, rooms};
}

void AtomRenderer::record(Sequence& s) {
  const uint32_t count = shape_.atoms, L = length_;
  if (shape_.segment == 0) throw std::logic_error("AtomRenderer::record before prepare");
  if (count == 0) {
    s.fill(*mixdown_, 0);
    return;
  }
  // 1-3. Band-limited noise at unit RMS under the envelope.
  kernels_.band(s, params_, noise_.spectra(), log2Table_, spectrum_, count);
  fft_.recordInverse(s, spectrum_, band_, count, 1.0f / float(L));
  kernels_.sumSquares(s, band_, sums_, SumOf::Band, L, L, count);
  kernels_.excite(s, params_, band_, sums_, excitation_, count);
  // 4-6. Resonance, norms, taper, mix and gain.
  kernels_.tonal(s, params_, excitation_, states_, tonal_, count);
  kernels_.sumSquares(s, excitation_, sums_, SumOf::Excitation, L, L, count);
  kernels_.sumSquares(s, tonal_, sums_, SumOf::Tonal, L, L, count);
  kernels_.mix(s, params_, excitation_, tonal_, sums_, taper_, mixed_, count);
  kernels_.sumSquares(s, mixed_, sums_, SumOf::Mixed, L, L, count);
  const uint32_t stride = shape_.rooms ? roomLength_ : L;
  kernels_.dry(s, params_, mixed_, sums_, dry_, stride, count);
  // 7. Rooms: circular convolution over P >= L + len(R) - 1 samples is the linear one.
  const Buffer* source = &dry_;
  if (shape_.rooms) {
    roomFft_->recordForward(s, dry_, spectrum_, count);
    kernels_.roomMultiply(s, params_, spectrum_, *roomSpectra_, roomLength_ / 2 + 1, count);
    roomFft_->recordInverse(s, spectrum_, *wet_, count, 1.0f / float(roomLength_));
    kernels_.roomMix(s, params_, dry_, *wet_, stride, count);
    source = &*wet_;
  }
  // 8. Placement and the sum over atoms.
  kernels_.place(s, params_, *source, *placed_, stride, shape_.segment, count);
  kernels_.mixdown(s, *placed_, *mixdown_, shape_.segment, count);
}

AtomRenderer::Stages AtomRenderer::stages() const {
  return {params_,  sums_, band_, excitation_, tonal_, mixed_, states_, dry_,
          wet_ ? &*wet_ : nullptr, roomSpectra_ ? &*roomSpectra_ : nullptr, noise_.spectra(),
          log2Table_, taper_, kernels_, fft_, roomFft_ ? &*roomFft_ : nullptr, length_,
          roomLength_};
}

std::vector<float> AtomRenderer::renderSegment(const AtomSet& set, int64_t start, size_t length) {
  if (set.sampleRate != document_.sampleRate || uint32_t(set.atomLength) != length_ ||
      set.rooms != document_.rooms)
    throw std::invalid_argument("AtomRenderer::renderSegment: the set's rate, atom length or "
                                "rooms differ from the renderer's");
  std::vector<float> out(length, 0.0f);
  for (size_t offset = 0; offset < length; offset += maxSegment_) {
    const uint32_t piece = uint32_t(std::min<size_t>(maxSegment_, length - offset));
    const int64_t pieceStart = start + int64_t(offset);
    std::vector<Atom> overlapping;
    for (const Atom& atom : set.atoms) {
      const auto [first, last] = reference::atomSpan(atom, set);
      if (last > pieceStart && first < pieceStart + piece) overlapping.push_back(atom);
    }
    for (size_t batch = 0; batch < overlapping.size(); batch += maxAtoms_) {
      const size_t count = std::min<size_t>(maxAtoms_, overlapping.size() - batch);
      prepare(std::span(overlapping).subspan(batch, count), pieceStart, piece);
      if (recordedShape_ != shape_) {
        own_.clear();
        record(own_);
        recordedShape_ = shape_;
      }
      own_.submit();
      const std::vector<float> sum = mixdown_->download<float>(0, piece);
      for (uint32_t q = 0; q < piece; ++q) out[offset + q] += sum[q];
    }
  }
  return out;
}

}  // namespace audiosplat::gpu
