// gpu::AtomPack (shaders/atom_pack.comp) against the CPU's gpu::packAtom on lavapipe: random
// atoms over the parameters' ranges (f0 up to fs/2, so partials fade and drop out; k == 1
// exactly; both envelopes; onsets before, inside, after and far from the segment, integer and
// fractional; rooms), at fs 22050 and 44100, L 4096 and 2^15, segments from 0 and elsewhere.
// The params buffer starts as packAtom of other continuous values with the same discrete
// choices, so every entry but the kept slot, room and span must have been recomputed.
//
// Exactness. Integer fields must be equal. Each float is rounded once from a double on both
// sides; the device's exp, log, pow, sin and cos (double_math.glsl) are a few ulp of a double
// from glibc's, so a float can land on the other side of a rounding, by 1 ulp: the bound.
// Two exceptions:
// - bandOffset is a double x kept as hi + lo floats, lo = float(x - hi). The device's log2 can
//   be an ulp of a double off glibc's, which is many of lo's ulps when lo is small. So the pair
//   is compared as the number hi + lo: each is within 2^-48 |x| of its x (lo's rounding), so
//   the two within 2^-47 |x|.
// - Floats below the normal range: Vulkan lets a device flush them to zero, so a subnormal of
//   the CPU may be 0 on the device (lavapipe keeps them).
// Integer onsets give taps of ~1e-17 (sin of M_PI k, the rounding of pi k): they check that
// the angles' reduction keeps sines near zero accurate.
// Measured on lavapipe over these 4000 atoms, and once over 80000: every float of every field
// equal to the CPU's (0 ulp), the ~1500 subnormal ones included; hi + lo within 3.3e-15 |x|.
#include <QtTest>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gpu/atom_pack.h"
#include "gpu/atom_params.h"
#include "gpu/atom_state.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/sequence.h"
#include "testing.h"

using namespace audiosplat;
using namespace audiosplat::gpu;

namespace {

double logUniform(std::mt19937& rng, double lo, double hi) {
  return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
}
double uniform(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// New continuous parameters anywhere in their ranges; the onset in samples from
// [onsetLo, onsetHi), sometimes a whole number of samples.
void randomize(Atom& a, std::mt19937& rng, double fs, double onsetLo, double onsetHi) {
  const double onset = uniform(rng, onsetLo, onsetHi);
  a.onset = (rng() % 8 == 0 ? std::floor(onset) : onset) / fs;
  a.gain = logUniform(rng, 1e-8, 1e4);
  a.attackShape = rng() % 4 == 0 ? 1.0 : uniform(rng, 1.0, 20.0);
  a.attackScale = logUniform(rng, 2e-4, 0.5);
  a.noiseCentre = logUniform(rng, 20.0, fs / 2);
  a.noiseWidth = logUniform(rng, 0.05, 8.0);
  a.fundamental = rng() % 4 == 0 ? uniform(rng, 0.3 * fs, 0.5 * fs) : logUniform(rng, 20.0, fs / 2);
  a.inharmonicity = rng() % 8 == 0 ? 0.0 : logUniform(rng, 1e-7, 0.01);
  a.tilt = uniform(rng, -30.0, 6.0);
  a.decay = logUniform(rng, 0.005, 10.0);
  a.dampingSlope = uniform(rng, 0.0, 3.0);
  a.tonalMix = uniform(rng, 0.0, 1.0);
  a.roomWet = uniform(rng, 0.0, 1.0);
}

struct Case {
  double fs;
  int L;
  int64_t start;
  uint32_t segment;
};

// count random atoms for c, with edge cases first.
std::vector<Atom> testAtoms(uint32_t seed, const Case& c, size_t count, int rooms) {
  std::mt19937 rng(seed);
  const double s = double(c.start), end = s + c.segment, L = c.L;
  std::vector<Atom> atoms(count);
  for (size_t i = 0; i < count; ++i) {
    Atom& a = atoms[i];
    a.envelope = rng() % 2 ? Envelope::Gamma : Envelope::Gaussian;
    a.partials = 1 + int(rng() % kMaxPartials);
    a.room = int(rng() % (rooms + 1)) - 1;
    a.seed = rng();
    randomize(a, rng, c.fs, s - 2 * L - 100, end + 100);
  }
  // Far before and after (the onset's clamp), at the segment's start, a hair past a sample.
  atoms[0].onset = -1e7;
  atoms[1].onset = 1e7;
  atoms[2].onset = s / c.fs;
  atoms[3].onset = (s + 100 + 1e-9) / c.fs;
  atoms[4].onset = (end - 0.5) / c.fs;
  atoms[5].fundamental = 0.495 * c.fs;  // no audible partial
  atoms[6].partials = kMaxPartials;
  atoms[6].fundamental = 20.0;
  atoms[6].inharmonicity = 0.0;
  atoms[7].envelope = Envelope::Gaussian;
  atoms[7].attackShape = 1.0;
  return atoms;
}

// Distance in ulps between two floats (0 for +0 and -0).
int64_t ulpDistance(float a, float b) {
  auto ordered = [](float x) {
    const int32_t bits = std::bit_cast<int32_t>(x);
    return bits < 0 ? -int64_t(bits & 0x7fffffff) : int64_t(bits);
  };
  return std::abs(ordered(a) - ordered(b));
}

struct Errors {
  std::map<std::string, int64_t> ulps;  // worst per float field
  double band = 0;                      // worst |hi + lo - (hi + lo)'| / |x|
  int64_t subnormal = 0;                // floats the CPU rounded to a subnormal
  int64_t flushed = 0;                  // of those, how many the device gave as 0

  void add(const std::string& field, float gpu, float cpu) {
    if (cpu != 0.0f && std::abs(cpu) < FLT_MIN) {
      ++subnormal;
      if (gpu == 0.0f) {
        ++flushed;
        return;
      }
    }
    int64_t& worst = ulps[field];
    worst = std::max(worst, ulpDistance(gpu, cpu));
  }
};

void compare(const AtomParams& gpu, const AtomParams& cpu, Errors& errors) {
  QCOMPARE(gpu.slot, cpu.slot);
  QCOMPARE(uint32_t(gpu.envelope), uint32_t(cpu.envelope));
  QCOMPARE(gpu.partials, cpu.partials);
  QCOMPARE(gpu.room, cpu.room);
  QCOMPARE(gpu.onset, cpu.onset);
  QCOMPARE(gpu.span, cpu.span);
  QCOMPARE(gpu.first, cpu.first);
  QCOMPARE(gpu.last, cpu.last);
  const double x = double(cpu.bandOffset[0]) + double(cpu.bandOffset[1]);
  const double y = double(gpu.bandOffset[0]) + double(gpu.bandOffset[1]);
  errors.band = std::max(errors.band, std::abs(x - y) / std::abs(x));
  errors.add("bandOffset hi", gpu.bandOffset[0], cpu.bandOffset[0]);
  errors.add("bandInvWidth", gpu.bandInvWidth, cpu.bandInvWidth);
  errors.add("envShape", gpu.envShape, cpu.envShape);
  errors.add("envRate", gpu.envRate, cpu.envRate);
  errors.add("tonalMix", gpu.tonalMix, cpu.tonalMix);
  errors.add("gain", gpu.gain, cpu.gain);
  errors.add("wet", gpu.wet, cpu.wet);
  for (uint32_t i = 0; i < kAtomTaps; ++i) {
    errors.add("taps", gpu.taps[i], cpu.taps[i]);
    errors.add("slopes", gpu.slopes[i], cpu.slopes[i]);
  }
  static const char* const kPole[4] = {"pole re", "pole im", "chunk pole re", "chunk pole im"};
  for (int j = 0; j < kMaxPartials; ++j) {
    for (int c = 0; c < 4; ++c) errors.add(kPole[c], gpu.poles[j][c], cpu.poles[j][c]);
    errors.add("amplitudes", gpu.amplitudes[j], cpu.amplitudes[j]);
  }
}

AtomState stateOf(const Atom& atom) {
  AtomState state{};
  const ParamVector physical = atom.params();
  for (int k = 0; k < kParamCount; ++k) {
    state.physical[k] = physical[k];
    state.raw[k] = state.gradient[k] = NAN;  // not the pack's business
  }
  state.envelope = uint32_t(atom.envelope);
  state.partials = uint32_t(atom.partials);
  return state;
}

}  // namespace

class TestAtomPack : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;
  Errors errors_;

  // Packs count atoms of c on the device over entries made for other values; checks them
  // and that the entry after them is untouched.
  void check(const Case& c, uint32_t seed, size_t count) {
    AtomSet set;
    set.sampleRate = c.fs;
    set.atomLength = c.L;
    set.rooms = {test::decayingRoom(3000, seed), test::decayingRoom(700, seed + 1)};
    const std::vector<Atom> atoms = testAtoms(seed, c, count, int(set.rooms.size()));

    std::mt19937 rng(seed + 100);
    std::vector<AtomParams> before, expected;
    std::vector<AtomState> states;
    for (size_t i = 0; i <= count; ++i) {
      const Atom& atom = atoms[std::min(i, count - 1)];
      Atom other = atom;  // the same discrete choices, other continuous values
      randomize(other, rng, c.fs, double(c.start) - 3 * c.L, double(c.start) + 2 * c.segment);
      const uint32_t slot = uint32_t(3 * i + 1);
      before.push_back(packAtom(other, set, c.start, c.segment, slot));
      expected.push_back(packAtom(atom, set, c.start, c.segment, slot));
      states.push_back(stateOf(atom));
    }
    Buffer stateBuffer(*context_, states.size() * sizeof(AtomState));
    stateBuffer.write(0, states.data(), states.size() * sizeof(AtomState));
    Buffer params(*context_, before.size() * sizeof(AtomParams));
    params.write(0, before.data(), before.size() * sizeof(AtomParams));

    AtomPack pack(*context_);
    Sequence sequence(*context_);
    pack.record(sequence, stateBuffer, params, uint32_t(count), c.fs, uint32_t(c.L), c.start,
                c.segment);
    sequence.submit();
    std::vector<AtomParams> gpu(before.size());
    params.read(0, gpu.data(), gpu.size() * sizeof(AtomParams));
    for (size_t i = 0; i < count; ++i) {
      compare(gpu[i], expected[i], errors_);
      if (QTest::currentTestFailed()) {
        qWarning("atom %zu", i);
        return;
      }
    }
    QVERIFY(std::memcmp(&gpu[count], &before[count], sizeof(AtomParams)) == 0);
  }

 private slots:
  void initTestCase() {
    context_ = std::make_unique<Context>();
    if (!context_->limits().float64) QSKIP("the device has no doubles in shaders");
  }

  void matchesPackAtom_data() {
    QTest::addColumn<double>("fs");
    QTest::addColumn<int>("L");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<uint>("segment");
    QTest::addColumn<uint>("seed");
    QTest::newRow("22050 Hz, L 2^15, from 0") << 22050.0 << 32768 << qint64(0) << 32768u << 1u;
    QTest::newRow("22050 Hz, L 4096, later") << 22050.0 << 4096 << qint64(3 * 32768 + 123)
                                              << 8192u << 2u;
    QTest::newRow("44100 Hz, L 2^15, later") << 44100.0 << 32768 << qint64(1234567) << 32768u
                                              << 3u;
    QTest::newRow("44100 Hz, L 4096, before 0") << 44100.0 << 4096 << qint64(-5000) << 4096u
                                                 << 4u;
  }

  void matchesPackAtom() {
    QFETCH(double, fs);
    QFETCH(int, L);
    QFETCH(qint64, start);
    QFETCH(uint, segment);
    QFETCH(uint, seed);
    check({fs, L, start, segment}, seed, 1000);
  }

  void rejectsSmallBuffers() {
    AtomPack pack(*context_);
    Sequence sequence(*context_);
    Buffer states(*context_, sizeof(AtomState));
    Buffer params(*context_, sizeof(AtomParams));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pack.record(sequence, states, params, 2, 22050.0, 4096, 0, 4096));
  }

  void cleanupTestCase() {
    for (const auto& [field, worst] : errors_.ulps)
      qInfo("%s: max %lld ulp", field.c_str(), (long long)worst);
    qInfo("bandOffset hi + lo: max |error| / |x| %.3g; subnormal floats %lld, flushed to 0 %lld",
          errors_.band, (long long)errors_.subnormal, (long long)errors_.flushed);
    for (const auto& [field, worst] : errors_.ulps)
      QVERIFY2(worst <= 1, (field + ": " + std::to_string(worst) + " ulp").c_str());
    QVERIFY(errors_.band <= std::ldexp(1.0, -47));
    QCOMPARE(context_->validationErrors(), uint64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestAtomPack)
#include "test_atom_pack.moc"
