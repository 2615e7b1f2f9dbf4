// The numbers `audiosplat info` prints about an atom set.
#include <QtTest>

#include "io/atom_set_summary.h"

using namespace audiosplat;

class TestAtomSetSummary : public QObject {
  Q_OBJECT
 private slots:
  void countsAndSpreads() {
    AtomSet set;
    set.sampleRate = 1000;
    set.length = 2500;
    set.rooms.resize(1);
    for (double gain : {0.5, 1e-3, 2.0, 0.0}) {  // 1e-3 is at the threshold: inactive
      Atom a;
      a.gain = gain;
      a.partials = int(gain * 10) + 1;
      set.atoms.push_back(a);
    }
    set.atoms[0].envelope = Envelope::Gaussian;
    set.atoms[2].room = 0;
    const io::AtomSetSummary s = io::summarize(set);
    QCOMPARE(s.atoms, size_t(4));
    QCOMPARE(s.activeAtoms, size_t(2));
    QCOMPARE(s.gaussianEnvelopes, size_t(1));
    QCOMPARE(s.gammaEnvelopes, size_t(3));
    QCOMPARE(s.atomsWithRoom, size_t(1));
    QCOMPARE(s.durationSeconds, 2.5);
    const io::Spread gain = s.params[int(Param::Gain)];
    QCOMPARE(gain.min, 0.0);
    QCOMPARE(gain.max, 2.0);
    QCOMPARE(gain.median, 0.5 * (1e-3 + 0.5));  // even count: mean of the middle two
    QCOMPARE(s.partials.min, 1.0);
    QCOMPARE(s.partials.max, 21.0);
    QCOMPARE(s.params[int(Param::Decay)].median, Atom().decay);
    set.atoms.pop_back();
    QCOMPARE(io::summarize(set).params[int(Param::Gain)].median, 0.5);  // odd count: the middle
  }

  void emptySet() {
    const io::AtomSetSummary s = io::summarize(AtomSet{});
    QCOMPARE(s.atoms, size_t(0));
    QCOMPARE(s.params[0].max, 0.0);
  }
};

QTEST_GUILESS_MAIN(TestAtomSetSummary)
#include "test_atom_set_summary.moc"
