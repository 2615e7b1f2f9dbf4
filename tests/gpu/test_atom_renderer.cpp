// gpu::AtomRenderer against the double-precision reference::renderSegment on lavapipe:
// random atoms of both envelopes, 1..64 partials, fractional onsets before, inside and at
// the end of the segment, f0 near Nyquist, decays of 5 ms and 10 s, tiny gains and rooms,
// at L = 4096 and L = 2^15.
//
// Tolerance. Float rounding leaves a white relative error of ~1e-7 in the excitation e. The
// tonal part m y / |y| passes it through the partials' impulse response h, whose gain for
// white noise is |h|, while y itself can be small (a noise band far from the partials): the
// atom's output amplifies it by kappa = 1 + m |e| |h| / (|y| |u|) (median 2, up to 7000 over
// random atoms). So each atom must satisfy max |gpu - cpu| <= kBound kappa rms(s_r), with s_r
// the whole atom, and the mixdown max |gpu - cpu| <= the sum of its atoms' allowances.
// Measured on lavapipe over random atoms (1024 at L = 4096, 512 at L = 2^15):
//   max |gpu - cpu| / (kappa rms(s_r)): median 1.7e-6 / 3.6e-6, max 2.2e-5 / 6.5e-5 (short
//   clicks, whose peak is far above their rms over L);
//   plain max |gpu - cpu| / rms(s_r): median 4.4e-6 / 1.1e-5, 90th percentile 2.6e-5 / 5.2e-5,
//   max 4.4e-3 / 8.6e-3 (kappa in the thousands).
// kBound = 2e-4 leaves a factor 3 for other GPUs' rounding.
#include <QtTest>
#include <cmath>
#include <complex>
#include <memory>
#include <random>
#include <vector>

#include "gpu/atom_renderer.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/sequence.h"
#include "model/atom_pipeline.h"
#include "model/reference_renderer.h"
#include "testing.h"

using namespace audiosplat;
using namespace audiosplat::gpu;

namespace {

constexpr double kBound = 2e-4;
constexpr double kFs = 22050.0;

double logUniform(std::mt19937& rng, double lo, double hi) {
  return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
}
double uniform(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// A random valid atom whose onset (in samples) is drawn from [onsetLo, onsetHi).
Atom randomAtom(std::mt19937& rng, double onsetLo, double onsetHi) {
  Atom a;
  a.onset = uniform(rng, onsetLo, onsetHi) / kFs;
  a.gain = logUniform(rng, 1e-3, 10.0);
  a.envelope = rng() % 2 ? Envelope::Gamma : Envelope::Gaussian;
  a.attackShape = rng() % 4 == 0 ? 1.0 : uniform(rng, 1.0, 20.0);
  a.attackScale = logUniform(rng, 2e-4, 0.5);
  a.noiseCentre = logUniform(rng, 20.0, kFs / 2);
  a.noiseWidth = logUniform(rng, 0.05, 8.0);
  a.fundamental = logUniform(rng, 20.0, kFs / 2);
  a.inharmonicity = rng() % 2 ? 0.0 : logUniform(rng, 1e-6, 0.01);
  a.tilt = uniform(rng, -30.0, 6.0);
  a.decay = logUniform(rng, 0.005, 10.0);
  a.dampingSlope = uniform(rng, 0.0, 3.0);
  a.tonalMix = uniform(rng, 0.0, 1.0);
  a.partials = 1 + int(rng() % 64);
  a.seed = rng();
  return a;
}

// Edge cases, then random atoms, all overlapping the segment [start, start + N).
std::vector<Atom> testAtoms(uint32_t seed, int L, int64_t start, size_t N, size_t randomCount) {
  std::mt19937 rng(seed);
  const double s = double(start), end = s + double(N);
  std::vector<Atom> atoms;
  auto add = [&](double onsetLo, double onsetHi, auto&& edit) {
    Atom a = randomAtom(rng, onsetLo, onsetHi);
    edit(a);
    atoms.push_back(a);
  };
  add(s - L / 2, s - 1, [](Atom& a) { a.envelope = Envelope::Gamma; a.attackShape = 1.0; });
  add(end - 3.7, end - 3.6, [](Atom& a) { a.envelope = Envelope::Gaussian; });
  add(s + 10, s + 11, [](Atom& a) {
    a.decay = 10.0;
    a.fundamental = 31.0;
    a.partials = 64;
    a.tilt = 0;
  });
  add(s + 100, s + 200, [](Atom& a) { a.decay = 0.005; a.partials = 1; });
  add(s, end, [](Atom& a) { a.fundamental = 0.47 * kFs; a.partials = 3; a.tonalMix = 0.9; });
  add(s, end, [](Atom& a) { a.fundamental = 0.495 * kFs; a.tonalMix = 0.5; });  // no partial
  add(s, end, [](Atom& a) { a.gain = 1e-7; });
  add(s + 0.25, s + 0.25, [](Atom& a) { a.envelope = Envelope::Gamma; a.attackShape = 20.0; });
  add(s - L - 3.5, s - L - 3.4, [](Atom&) {});  // only its last samples, through the taps
  add(s, end, [](Atom& a) { a.noiseWidth = 0.05; a.decay = 10.0; a.dampingSlope = 0.0; });
  for (size_t i = 0; i < randomCount; ++i) add(s - L, end, [](Atom&) {});
  return atoms;
}

double rms(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum / v.size());
}

double maxError(std::span<const float> gpu, const std::vector<double>& cpu) {
  double error = 0;
  for (size_t i = 0; i < cpu.size(); ++i)
    error = std::max(error, std::abs(double(gpu[i]) - cpu[i]));
  return error;
}

// The atom's error allowance (see the top): kBound kappa rms(s_r).
double allowance(const Atom& atom, const AtomSet& set) {
  const reference::AtomStages st = reference::runStages(atom, set);
  double hh = 0;  // |h|^2, h[n] = sum_j a_j Im p_j^n
  std::vector<std::complex<double>> power(st.partials.size(), 1.0);
  for (int n = 0; n < st.length; ++n) {
    double h = 0;
    for (size_t j = 0; j < st.partials.size(); ++j) {
      h += st.partials[j].amplitude * power[j].imag();
      power[j] *= st.partials[j].pole;
    }
    hh += h * h;
  }
  const double kappa = 1.0 + atom.tonalMix * st.excitationNorm * std::sqrt(hh) /
                                 (st.tonalNorm * st.mixedNorm);
  return kBound * kappa * rms(st.output);
}

// The mixdown's allowance: the sum of those of the atoms that overlap [start, start + N).
double mixdownAllowance(const AtomSet& set, int64_t start, size_t N) {
  double sum = 0;
  for (const Atom& atom : set.atoms) {
    const auto [first, last] = reference::atomSpan(atom, set);
    if (last > start && first < start + int64_t(N)) sum += allowance(atom, set);
  }
  return sum;
}

// max |gpu - cpu| of a mixdown over its allowance (< 1 passes).
double mixdownError(const AtomSet& set, int64_t start, const std::vector<float>& gpu) {
  return maxError(gpu, reference::renderSegment(set, start, gpu.size())) /
         mixdownAllowance(set, start, gpu.size());
}

AtomSet document(int L, std::vector<Room> rooms = {}) {
  AtomSet set;
  set.sampleRate = kFs;
  set.atomLength = L;
  set.rooms = std::move(rooms);
  return set;
}

}  // namespace

class TestAtomRenderer : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;

  // Renders set's atoms on both; checks the mixdown and every atom's own placed signal.
  void compare(const AtomSet& set, int64_t start, size_t N, uint32_t maxAtoms, const char* what) {
    AtomRenderer renderer(*context_, set, maxAtoms);
    const std::vector<float> mix = renderer.renderSegment(set, start, N);
    const std::vector<double> cpuMix = reference::renderSegment(set, start, N);

    // Each atom alone, through prepare/record into a sequence of our own.
    double worst = 0, worstPlain = 0;
    for (size_t first = 0; first < set.atoms.size(); first += maxAtoms) {
      const size_t count = std::min<size_t>(maxAtoms, set.atoms.size() - first);
      renderer.prepare(std::span(set.atoms).subspan(first, count), start, uint32_t(N));
      Sequence sequence(*context_);
      renderer.record(sequence);
      sequence.submit();
      const std::vector<float> placed = renderer.placed().download<float>(0, count * N);
      for (size_t i = 0; i < count; ++i) {
        const Atom& atom = set.atoms[first + i];
        std::vector<double> cpu(N, 0.0);
        reference::addAtom(atom, set, start, cpu);
        const double error = maxError(std::span(placed).subspan(i * N, N), cpu);
        const double allowed = allowance(atom, set);
        worst = std::max(worst, error / allowed);
        worstPlain = std::max(worstPlain, error / rms(reference::renderAtomLocal(atom, set)));
      }
    }
    const double mixError = maxError(mix, cpuMix);
    const double mixAllowed = mixdownAllowance(set, start, N);
    qInfo("%s: atoms' max |error| / rms %.3g, / allowance %.3g; mixdown's / rms %.3g, "
          "/ allowance %.3g", what, worstPlain, worst, mixError / rms(cpuMix),
          mixError / mixAllowed);
    QVERIFY(worst < 1.0);
    QVERIFY(mixError < mixAllowed);
  }

 private slots:
  void initTestCase() { context_ = std::make_unique<Context>(); }

  void matchesReferenceAtSmallLength() {
    AtomSet set = document(4096);
    set.atoms = testAtoms(1, 4096, 5000, 4096, 16);
    compare(set, 5000, 4096, 32, "L = 4096");
  }

  void matchesReferenceAtFullLength() {
    AtomSet set = document(32768);
    set.atoms = testAtoms(2, 32768, 32768 * 3, 32768, 7);
    compare(set, 32768 * 3, 32768, 16, "L = 2^15");
  }

  void matchesReferenceWithRooms() {
    Room silent;
    silent.name = "silent";
    silent.impulse.assign(100, 0.0);
    AtomSet set = document(4096, {test::decayingRoom(3000, 7), test::decayingRoom(700, 8), silent});
    set.atoms = testAtoms(3, 4096, -2000, 8192, 7);
    for (size_t i = 0; i < set.atoms.size(); ++i) {
      set.atoms[i].room = int(i % 4) - 1;  // none, 0, 1, silent
      set.atoms[i].roomWet = i % 3 == 0 ? 1.0 : double(i % 5) / 5.0;
    }
    compare(set, -2000, 8192, 16, "rooms");
  }

  void batchesAndPieces() {
    // 14 atoms through 4 at a time, over a segment longer than one piece.
    AtomSet set = document(4096);
    AtomRenderer probe(*context_, set, 4);
    const size_t N = probe.maxSegment() + 3000;
    set.atoms = testAtoms(4, 4096, 0, N, 4);
    set.atoms[0].onset = (probe.maxSegment() - 1000.3) / kFs;  // across the pieces' border
    const std::vector<float> gpu = probe.renderSegment(set, 0, N);
    const double error = mixdownError(set, 0, gpu);
    qInfo("batches of 4, %zu samples: max |error| / allowance %.3g", N, error);
    QVERIFY(error < 1.0);
  }

  void recordedPassFollowsPrepare() {
    // Record once, then prepare other atoms of the same shape: the commands render them.
    AtomSet set = document(4096);
    set.atoms = testAtoms(8, 4096, 0, 4096, 2);
    AtomSet other = set;
    other.atoms = testAtoms(9, 4096, 0, 4096, 2);
    AtomRenderer renderer(*context_, set, 16);
    renderer.prepare(set.atoms, 0, 4096);
    Sequence sequence(*context_);
    renderer.record(sequence);
    sequence.submit();
    const AtomRenderer::Shape shape = renderer.shape();
    renderer.prepare(other.atoms, 0, 4096);
    QVERIFY(renderer.shape() == shape);
    sequence.submit();
    QVERIFY(mixdownError(other, 0, renderer.mixdown().download<float>(0, 4096)) < 1.0);
  }

  void rendersAreReproducible() {
    AtomSet set = document(4096);
    set.atoms = testAtoms(5, 4096, 0, 4096, 8);
    AtomRenderer renderer(*context_, set, 32);
    QVERIFY(renderer.renderSegment(set, 0, 4096) == renderer.renderSegment(set, 0, 4096));
  }

  void noiseSpectraAreCached() {
    AtomSet set = document(4096);
    set.atoms = testAtoms(6, 4096, 0, 4096, 3);
    set.atoms[1].seed = set.atoms[0].seed;  // one spectrum for both
    AtomRenderer renderer(*context_, set, 16);
    renderer.renderSegment(set, 0, 4096);
    const uint64_t first = renderer.noiseSpectraComputed();
    QCOMPARE(first, uint64_t(set.atoms.size() - 1));
    for (Atom& atom : set.atoms) atom.noiseCentre *= 1.5;  // new parameters, same seeds
    renderer.renderSegment(set, 0, 4096);
    QCOMPARE(renderer.noiseSpectraComputed(), first);
    set.atoms[2].seed ^= 1u;
    const std::vector<float> gpu = renderer.renderSegment(set, 0, 4096);
    QCOMPARE(renderer.noiseSpectraComputed(), first + 1);
    QVERIFY(mixdownError(set, 0, gpu) < 1.0);
  }

  void emptyRendersSilence() {
    AtomSet set = document(4096);
    AtomRenderer renderer(*context_, set, 4);
    QVERIFY(renderer.renderSegment(set, 100, 1000) == std::vector<float>(1000, 0.0f));
    set.atoms = testAtoms(7, 4096, 100000, 1000, 0);  // all far from the segment
    QVERIFY(renderer.renderSegment(set, 100, 1000) == std::vector<float>(1000, 0.0f));
    renderer.prepare({}, 0, 512);
    Sequence sequence(*context_);
    renderer.record(sequence);
    sequence.submit();
    QVERIFY(renderer.mixdown().download<float>(0, 512) == std::vector<float>(512, 0.0f));
  }

  void rejectsMismatchedSets() {
    AtomSet set = document(4096);
    AtomRenderer renderer(*context_, set, 4);
    AtomSet other = document(8192);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderer.renderSegment(other, 0, 100));
    set.atoms.push_back(Atom{});
    set.atoms[0].room = 0;  // no such room
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderer.renderSegment(set, 0, 100));
  }

  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }
};

QTEST_GUILESS_MAIN(TestAtomRenderer)
#include "test_atom_renderer.moc"
