// gpu::AtomStep (shaders/atom_step.comp) against the CPU's step in double: the chain rule of
// gpu::chainAtomGradient, then what fit::Fitter::step does per atom (sparsity,
// physicalPerRaw, adamStep, clampRaw, fromRaw), for random atoms of every envelope (gamma
// with k == 1 exactly too), with a room, a silent room and none, at 22050 and 44100 Hz, with
// random backward-pass sums, Adam states and step counts; held atoms, non-finite sums and
// moments, and steps into the ends of the ranges among them. Two settings of Adam run through
// the same recorded sequence (they change by setStep alone), one of them with beta1 = 0.
//
// Both sides compute in double in the same order; they differ only by the device's exp, log,
// pow and sin/cos (shaders/double_math.glsl) against glibc's, a few ulp. Errors: gradient and
// moments relative to the CPU's value (an exact zero must be exactly zero), raw coordinates
// relative to max(|raw|, 1) (their unit is a step's scale), physical values relative.
// Measured on lavapipe, worst over both rates and both settings: gradient 2.3e-13 (f0, B and
// tilt, whose partial terms of either sign cancel: an ulp of a term is more of the sum),
// moments 2.3e-13 (the same), raw 6.7e-16, physical 1.1e-15. Asserted: 1e-12. Step counts,
// problem codes and held atoms are compared exactly.
#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "fit/adam.h"
#include "fit/raw_params.h"
#include "gpu/atom_backward.h"
#include "gpu/atom_gradient_chain.h"
#include "gpu/atom_params.h"
#include "gpu/atom_state.h"
#include "gpu/atom_step.h"
#include "gpu/buffer.h"
#include "gpu/context.h"
#include "gpu/sequence.h"

using namespace audiosplat;
using namespace audiosplat::gpu;

namespace {

constexpr double kTolerance = 1e-12;
constexpr uint32_t kAtoms = 48;
constexpr uint32_t kSlots = AtomBackward::kSlots;
constexpr uint32_t kPartialFloats = kMaxPartials * AtomBackward::kPartialValues;
constexpr uint32_t kPartialOffset = kAtoms * kSlots;
// Atoms with a special role (the rest are random).
constexpr uint32_t kNanSum = 3;      // a NaN envelope sum: sits the step out
constexpr uint32_t kInfSum = 4;      // an infinite dL/da_1
constexpr uint32_t kInfMoments = 5;  // infinite moments of one parameter: its raw becomes NaN
constexpr uint32_t kToEnds = 7;      // gain, noise width and tonal mix pushed past their ends
constexpr int kInfParam = int(Param::NoiseWidth);

struct Settings {
  double learningRate, beta1, beta2, sparsity;
};

double logUniform(std::mt19937& rng, double lo, double hi) {
  return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
}
double uniform(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// Rooms 0 (a decaying impulse) and 1 (silent: no effective room).
AtomSet document(double fs) {
  AtomSet set;
  set.sampleRate = fs;
  set.atomLength = 4096;
  Room room;
  for (int n = 0; n < 300; ++n) room.impulse.push_back(std::exp(-0.02 * n) * std::cos(0.7 * n));
  set.rooms.push_back(room);
  room.impulse.assign(50, 0.0);
  set.rooms.push_back(room);
  return set;
}

// Atoms over the whole ranges, with partials above the fade and inside it.
Atom randomAtom(std::mt19937& rng, uint32_t i, double fs) {
  Atom a;
  a.onset = uniform(rng, -1.0, 100.0);
  a.gain = logUniform(rng, 1e-4, 10.0);
  a.envelope = i % 3 == 2 ? Envelope::Gaussian : Envelope::Gamma;
  a.attackShape = i % 5 == 4 ? 1.0 : uniform(rng, 1.0, 20.0);
  a.attackScale = logUniform(rng, 2e-4, 0.5);
  a.noiseCentre = logUniform(rng, 20.0, fs / 2);
  a.noiseWidth = logUniform(rng, 0.05, 8.0);
  a.fundamental = i % 2 ? logUniform(rng, 20.0, 500.0) : logUniform(rng, 500.0, 0.95 * fs / 2);
  a.inharmonicity = i % 6 == 0 ? 0.0 : logUniform(rng, 1e-7, 1e-2);
  a.tilt = uniform(rng, -30.0, 6.0);
  a.decay = logUniform(rng, 0.005, 10.0);
  a.dampingSlope = uniform(rng, 0.0, 3.0);
  a.tonalMix = uniform(rng, 0.0, 1.0);
  a.roomWet = uniform(rng, 0.0, 1.0);
  a.room = int(i / 3 % 3) - 1;
  a.partials = 1 + int(rng() % kMaxPartials);
  a.seed = rng();
  clampToRange(a, fs);
  return a;
}

std::array<RawCoordinateGpu, kParamCount> coordinates(double fs) {
  static_assert(int(fit::RawMap::Log) == int(CoordinateMap::Log) &&
                int(fit::RawMap::Log2) == int(CoordinateMap::Log2) &&
                int(fit::RawMap::Scaled) == int(CoordinateMap::Scaled) &&
                int(fit::RawMap::Logistic) == int(CoordinateMap::Logistic));
  std::array<RawCoordinateGpu, kParamCount> table{};
  for (int i = 0; i < kParamCount; ++i) {
    const fit::RawCoordinate c = fit::rawCoordinate(Param(i), fs);
    table[i] = {.map = CoordinateMap(int(c.map)), .lo = c.lo, .hi = c.hi, .rawMin = c.rawMin,
                .rawMax = c.rawMax, .physicalMin = c.physicalMin, .physicalMax = c.physicalMax};
  }
  return table;
}

// Everything the kernel reads, and the atoms they belong to.
struct Problem {
  AtomSet set;
  std::vector<AtomState> states;
  std::vector<AtomParams> params;
  std::vector<float> scalars;  // kSlots per atom, then the partial values from kPartialOffset
  std::vector<float> sums;     // 4 per atom

  std::span<const float> atomSlots(uint32_t a) const {
    return std::span(scalars).subspan(a * kSlots, kSlots);
  }
  std::span<const float> atomPartials(uint32_t a) const {
    return std::span(scalars).subspan(kPartialOffset + a * kPartialFloats, kPartialFloats);
  }
};

Problem randomProblem(double fs, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Problem pr;
  pr.set = document(fs);
  pr.scalars.resize(kPartialOffset + kAtoms * kPartialFloats);
  for (float& x : pr.scalars) x = normal(rng) * float(logUniform(rng, 1e-3, 1e3));
  for (uint32_t a = 0; a < kAtoms; ++a)
    for (int i = 0; i < 4; ++i) pr.sums.push_back(float(logUniform(rng, 1e-3, 1e4)));
  const int stepCounts[] = {0, 1, 2, 9, 250, 5000};
  for (uint32_t a = 0; a < kAtoms; ++a) {
    const Atom atom = randomAtom(rng, a, fs);
    pr.set.atoms.push_back(atom);
    pr.params.push_back(packAtom(atom, pr.set, 0, 4096, a));
    AtomState s{};
    const ParamVector physical = atom.params(), raw = fit::toRaw(atom, fs);
    for (int k = 0; k < kParamCount; ++k) {
      s.physical[k] = physical[k];
      s.raw[k] = raw[k];
      s.firstMoment[k] = normal(rng) * logUniform(rng, 1e-6, 1.0);
      s.secondMoment[k] = logUniform(rng, 1e-12, 1.0);
      s.gradient[k] = 12345.0;  // overwritten by the kernel
    }
    s.adamSteps = stepCounts[rng() % 6];
    s.envelope = uint32_t(atom.envelope);
    s.partials = uint32_t(atom.partials);
    s.hold = a % 7 == 6;
    s.problem = 999;
    pr.states.push_back(s);
  }
  pr.scalars[kNanSum * kSlots + AtomBackward::EnvelopeA] = NAN;
  pr.scalars[kPartialOffset + kInfSum * kPartialFloats + 2] = INFINITY;
  pr.states[kInfMoments].firstMoment[kInfParam] = INFINITY;
  pr.states[kInfMoments].secondMoment[kInfParam] = INFINITY;
  pr.states[kInfMoments].hold = 0;

  // Fresh Adam (a step of about the learning rate) from just inside three ranges' ends,
  // with sums whose gradients push outwards.
  AtomState& s = pr.states[kToEnds];
  s.hold = 0;
  s.adamSteps = 0;
  std::fill(std::begin(s.firstMoment), std::end(s.firstMoment), 0.0);
  std::fill(std::begin(s.secondMoment), std::end(s.secondMoment), 0.0);
  const auto nearEnd = [&](Param p, bool top) {
    const fit::RawCoordinate c = fit::rawCoordinate(p, fs);
    s.raw[int(p)] = top ? c.rawMax - 1e-4 : c.rawMin + 1e-4;
  };
  nearEnd(Param::Gain, true);
  nearEnd(Param::NoiseWidth, false);
  nearEnd(Param::TonalMix, true);
  pr.scalars[kToEnds * kSlots + AtomBackward::MixedDot] = -50.0f;
  pr.scalars[kToEnds * kSlots + AtomBackward::BandB] = 50.0f;
  pr.scalars[kToEnds * kSlots + AtomBackward::TonalDot] = -50.0f;
  pr.scalars[kToEnds * kSlots + AtomBackward::ExcitationDot] = 0.0f;
  Atom& atom = pr.set.atoms[kToEnds];
  atom = fit::fromRaw(std::to_array(s.raw), atom, fs);
  const ParamVector physical = atom.params();
  std::copy(physical.begin(), physical.end(), s.physical);
  return pr;
}

bool finite(const double* v) {
  return std::all_of(v, v + kParamCount, [](double x) { return std::isfinite(x); });
}
int firstNonFinite(const ParamVector& v) {
  for (int k = 0; k < kParamCount; ++k)
    if (!std::isfinite(v[k])) return k;
  return -1;
}

// The CPU's step of atom a, as fit::Fitter::step takes it.
AtomState cpuStep(const Problem& pr, uint32_t a, const Settings& settings) {
  const double fs = pr.set.sampleRate;
  const Atom& atom = pr.set.atoms[a];
  AtomState s = pr.states[a];
  const ParamVector gradient = chainAtomGradient(atom, pr.set, pr.atomSlots(a), pr.atomPartials(a),
                                                 std::span(pr.sums).subspan(a * 4, 4));
  std::copy(gradient.begin(), gradient.end(), s.gradient);
  s.problem = kStepOk;
  if (const int k = firstNonFinite(gradient); k >= 0) {
    s.problem = kGradientNotFinite + k;
    std::fill(std::begin(s.firstMoment), std::end(s.firstMoment), 0.0);
    std::fill(std::begin(s.secondMoment), std::end(s.secondMoment), 0.0);
    s.adamSteps = 0;
    return s;
  }
  if (s.hold) return s;
  ParamVector raw = std::to_array(s.raw), g = gradient;
  g[int(Param::Gain)] += settings.sparsity;
  const ParamVector scale = fit::physicalPerRaw(raw, fs);
  for (int k = 0; k < kParamCount; ++k) g[k] *= scale[k];
  fit::AdamState adam{std::to_array(s.firstMoment), std::to_array(s.secondMoment), s.adamSteps};
  fit::adamStep(raw, g, adam, settings.learningRate, settings.beta1, settings.beta2);
  fit::clampRaw(raw, fs);
  std::copy(raw.begin(), raw.end(), s.raw);
  std::copy(adam.firstMoment.begin(), adam.firstMoment.end(), s.firstMoment);
  std::copy(adam.secondMoment.begin(), adam.secondMoment.end(), s.secondMoment);
  s.adamSteps = adam.steps;
  if (const int k = firstNonFinite(raw); k >= 0) {
    s.problem = kRawNotFinite + k;
    return s;
  }
  const ParamVector physical = fit::fromRaw(raw, atom, fs).params();
  std::copy(physical.begin(), physical.end(), s.physical);
  return s;
}

// |gpu - cpu| / max(|cpu|, floor); 0 where both are NaN, infinite where one is.
double error(double gpu, double cpu, double floor) {
  if (std::isnan(gpu) || std::isnan(cpu)) return std::isnan(gpu) && std::isnan(cpu) ? 0 : INFINITY;
  if (gpu == cpu) return 0;  // infinities too
  return std::abs(gpu - cpu) / std::max(std::abs(cpu), floor);
}

struct Worst {
  double gradient = 0, raw = 0, moments = 0, physical = 0;
  double overall() const { return std::max({gradient, raw, moments, physical}); }
};

}  // namespace

class TestAtomStep : public QObject {
  Q_OBJECT
  std::unique_ptr<Context> context_;

  // Runs the kernel on pr under each of settings (one recorded sequence) and compares every
  // atom's state with the CPU's; worst: the largest errors.
  void compare(const Problem& pr, std::span<const Settings> settings, Worst& worst) {
    const double fs = pr.set.sampleRate;
    Buffer states(*context_, pr.states.size() * sizeof(AtomState));
    Buffer params(*context_, pr.params.size() * sizeof(AtomParams));
    params.write(0, pr.params.data(), params.bytes());
    Buffer scalars(*context_, pr.scalars.size() * 4);
    scalars.upload(pr.scalars);
    Buffer sums(*context_, pr.sums.size() * 4);
    sums.upload(pr.sums);
    AtomStep step(*context_);
    step.setCoordinates(coordinates(fs), fs);
    Sequence sequence(*context_);
    step.record(sequence, states, params, scalars, kPartialOffset, sums, kAtoms);

    for (const Settings& set : settings) {
      states.write(0, pr.states.data(), states.bytes());
      step.setStep(set.learningRate, set.beta1, set.beta2, set.sparsity);
      sequence.submit();
      std::vector<AtomState> out(kAtoms);
      states.read(0, out.data(), states.bytes());
      for (uint32_t a = 0; a < kAtoms; ++a) {
        const AtomState want = cpuStep(pr, a, set);
        const AtomState& got = out[a];
        const std::string where = "atom " + std::to_string(a) + " at " + std::to_string(fs) +
                                  " Hz, beta1 " + std::to_string(set.beta1);
        QVERIFY2(got.problem == want.problem,
                 (where + ": problem " + std::to_string(got.problem) + ", expected " +
                  std::to_string(want.problem)).c_str());
        QVERIFY2(got.adamSteps == want.adamSteps, where.c_str());
        for (int k = 0; k < kParamCount; ++k) {
          const double e[] = {error(got.gradient[k], want.gradient[k], 1e-300),
                              error(got.raw[k], want.raw[k], 1.0),
                              std::max(error(got.firstMoment[k], want.firstMoment[k], 1e-300),
                                       error(got.secondMoment[k], want.secondMoment[k], 1e-300)),
                              error(got.physical[k], want.physical[k], 1e-300)};
          if (std::max({e[0], e[1], e[2], e[3]}) > kTolerance)
            qInfo("%s %s: gradient %.17g / %.17g raw %.17g / %.17g physical %.17g / %.17g",
                  where.c_str(), std::string(paramInfo(Param(k)).key).c_str(), got.gradient[k],
                  want.gradient[k], got.raw[k], want.raw[k], got.physical[k], want.physical[k]);
          worst.gradient = std::max(worst.gradient, e[0]);
          worst.raw = std::max(worst.raw, e[1]);
          worst.moments = std::max(worst.moments, e[2]);
          worst.physical = std::max(worst.physical, e[3]);
        }
        if (pr.states[a].hold && want.problem == kStepOk) {
          const AtomState& before = pr.states[a];
          QVERIFY2(got.adamSteps == before.adamSteps, where.c_str());
          for (const auto field : {&AtomState::physical, &AtomState::raw, &AtomState::firstMoment,
                                   &AtomState::secondMoment})
            QVERIFY2(std::memcmp(got.*field, before.*field, sizeof(double) * kParamCount) == 0,
                     where.c_str());
        }
      }

      // The special atoms did what they are there for.
      QCOMPARE(out[kNanSum].problem, uint32_t(kGradientNotFinite + int(Param::AttackShape)));
      QVERIFY(out[kInfSum].problem >= kGradientNotFinite && out[kInfSum].problem < kRawNotFinite);
      QCOMPARE(out[kInfMoments].problem, uint32_t(kRawNotFinite + kInfParam));
      const AtomState& ends = out[kToEnds];
      QCOMPARE(ends.problem, uint32_t(kStepOk));
      const auto at = [&](Param p) { return fit::rawCoordinate(p, fs); };
      QCOMPARE(ends.raw[int(Param::Gain)], at(Param::Gain).rawMax);
      QCOMPARE(ends.raw[int(Param::NoiseWidth)], at(Param::NoiseWidth).rawMin);
      QCOMPARE(ends.raw[int(Param::TonalMix)], at(Param::TonalMix).rawMax);
      QVERIFY(std::abs(ends.physical[int(Param::Gain)] / at(Param::Gain).physicalMax - 1) <= 1e-15);
      QVERIFY(ends.physical[int(Param::NoiseWidth)] >= at(Param::NoiseWidth).physicalMin);
      QVERIFY(finite(ends.physical));
    }
  }

 private slots:
  void initTestCase() {
    context_ = std::make_unique<Context>();
    if (!context_->limits().float64) QSKIP("the device has no doubles in shaders");
  }

  void cleanupTestCase() { QCOMPARE(context_->validationErrors(), uint64_t(0)); }

  void matchesTheCpuStep() {
    const Settings settings[] = {{0.01, 0.9, 0.999, 0.1}, {0.003, 0.0, 0.99, 0.0}};
    uint32_t seed = 1;
    Worst worst;
    for (double fs : {22050.0, 44100.0}) {
      compare(randomProblem(fs, seed++), settings, worst);
      if (QTest::currentTestFailed()) return;
    }
    qInfo("worst errors: gradient %.2g raw %.2g moments %.2g physical %.2g", worst.gradient,
          worst.raw, worst.moments, worst.physical);
    QVERIFY(worst.overall() <= kTolerance);
  }
};

QTEST_GUILESS_MAIN(TestAtomStep)
#include "test_atom_step.moc"
