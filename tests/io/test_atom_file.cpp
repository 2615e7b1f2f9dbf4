// The atom file holds a set exactly: every double bit for bit, rooms with their samples,
// and refuses each kind of damaged or hostile file with a message naming the problem.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <random>

#include "io/atom_file.h"
#include "io/atom_file_format.h"
#include "io/impulse_codec.h"
#include "io/number_text.h"
#include "random_atom_set.h"

using namespace audiosplat;
using io::AtomFileError;

namespace {

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Runs f, which must throw AtomFileError of `kind` whose message contains `expected`.
template <typename F>
void expectError(F f, AtomFileError::Kind kind, const QString& expected) {
  try {
    f();
    QFAIL(qPrintable("no error; expected one containing: " + expected));
  } catch (const AtomFileError& e) {
    const QString message = QString::fromStdString(e.what());
    QVERIFY2(message.contains(expected), qPrintable("message: " + message + "\nexpected: " + expected));
    QCOMPARE(int(e.kind()), int(kind));
  }
}

// A small valid document as a QJsonObject, for the malformed cases to damage.
QJsonObject validDocument() {
  AtomSet set;
  set.sampleRate = 22050;
  set.atomLength = 4096;
  set.length = 22050;
  Room room;
  room.name = "room.wav";
  room.impulse = {1.0, 0.5, -0.25};
  set.rooms.push_back(room);
  Atom a, b;
  b.room = 0;
  b.envelope = Envelope::Gaussian;
  set.atoms = {a, b};
  return QJsonDocument::fromJson(io::atomSetToJson(set)).object();
}

QJsonObject withAtomField(const QString& key, const QJsonValue& value, int atom = 0) {
  QJsonObject doc = validDocument();
  QJsonArray atoms = doc["atoms"].toArray();
  QJsonObject a = atoms[atom].toObject();
  if (value.isUndefined())
    a.remove(key);
  else
    a[key] = value;
  atoms[atom] = a;
  doc["atoms"] = atoms;
  return doc;
}

QJsonObject withRoomField(const QString& key, const QJsonValue& value) {
  QJsonObject doc = validDocument();
  QJsonArray rooms = doc["rooms"].toArray();
  QJsonObject r = rooms[0].toObject();
  r[key] = value;
  rooms[0] = r;
  doc["rooms"] = rooms;
  return doc;
}

QJsonObject withField(const QString& key, const QJsonValue& value) {
  QJsonObject doc = validDocument();
  if (value.isUndefined())
    doc.remove(key);
  else
    doc[key] = value;
  return doc;
}

QByteArray text(const QJsonObject& doc) { return QJsonDocument(doc).toJson(); }

// A room whose impulse is `samples`, stored with a correct hash, so that only the
// samples themselves are wrong.
QJsonObject withImpulse(const std::vector<double>& samples) {
  QJsonObject doc = withRoomField("impulse_f64le_base64", QString::fromLatin1(io::encodeImpulse(samples)));
  QJsonArray rooms = doc["rooms"].toArray();
  QJsonObject r = rooms[0].toObject();
  r["samples"] = qint64(samples.size());
  r["sha256"] = QString::fromStdString(impulseHash(samples));
  rooms[0] = r;
  doc["rooms"] = rooms;
  return doc;
}

}  // namespace

class TestAtomFile : public QObject {
  Q_OBJECT
 private slots:
  void numbersRoundTripThroughQtJson() {
    // The writer's number text and Qt's parser agree on every finite double.
    // Random bit patterns (mostly exponent form) and 53-bit mantissas scaled across the
    // plain-decimal range, where numberText switches style.
    std::mt19937_64 rng(99);
    int checked = 0;
    while (checked < 200000) {
      double value;
      if (checked % 2) {
        const uint64_t bits = rng();
        std::memcpy(&value, &bits, sizeof value);
      } else {
        value = std::ldexp(double(rng() >> 11), int(rng() % 130) - 110);
      }
      if (!std::isfinite(value) || value == 0.0) continue;
      const QByteArray json = QByteArray("[") + io::numberText(value).c_str() + "]";
      const double back = QJsonDocument::fromJson(json).array().at(0).toDouble();
      QVERIFY2(sameBits(back, value), json.constData());
      ++checked;
    }
  }

  void roundTripIsBitExact() {
    const AtomSet set = test::randomAtomSet(1, 3000);
    for (const Atom& a : set.atoms) QVERIFY(isValid(a, set.sampleRate));
    const AtomSet back = io::parseAtomJson(io::atomSetToJson(set));
    QVERIFY(back == set);
    for (size_t i = 0; i < set.atoms.size(); ++i)
      for (int p = 0; p < kParamCount; ++p)
        QVERIFY2(sameBits(back.atoms[i].get(Param(p)), set.atoms[i].get(Param(p))),
                 qPrintable(QString("atom %1 param %2").arg(i).arg(p)));
    for (size_t r = 0; r < set.rooms.size(); ++r) {
      QCOMPARE(back.rooms[r].impulse.size(), set.rooms[r].impulse.size());
      QVERIFY(std::memcmp(back.rooms[r].impulse.data(), set.rooms[r].impulse.data(),
                          set.rooms[r].impulse.size() * sizeof(double)) == 0);
      QCOMPARE(back.rooms[r].sha256, impulseHash(set.rooms[r].impulse));
    }
    // Writing what was read gives the same bytes.
    QCOMPARE(io::atomSetToJson(back), io::atomSetToJson(set));
  }

  void emptySetRoundTrips() {
    const AtomSet set;
    QVERIFY(io::parseAtomJson(io::atomSetToJson(set)) == set);
  }

  void negativeZeroReadsAsZero() {
    // Qt's JSON reader keeps no sign of zero, so the writer writes 0 (documented).
    AtomSet set;
    set.atoms.resize(1);
    set.atoms[0].onset = -0.0;
    set.atoms[0].tilt = -0.0;
    const QByteArray json = io::atomSetToJson(set);
    QVERIFY(!json.contains("-0,"));
    const AtomSet back = io::parseAtomJson(json);
    QVERIFY(back == set);
    QVERIFY(sameBits(back.atoms[0].onset, 0.0));
  }

  void layoutIsReadable() {
    const AtomSet set = test::randomAtomSet(2, 5);
    const QByteArray json = io::atomSetToJson(set);
    QVERIFY(json.startsWith("{\n  \"format\": \"audiosplat-atoms\",\n  \"version\": 1,\n"));
    QVERIFY(json.contains("\n  \"sample_rate_hz\": 44100,\n"));
    // One atom a line, fields in the order of docs/atom-model.md.
    int atomLines = 0;
    for (const QByteArray& line : json.split('\n')) {
      if (!line.contains("\"onset_s\"")) continue;
      ++atomLines;
      qsizetype last = -1;
      for (int p = 0; p < kParamCount; ++p) {
        const qsizetype at = line.indexOf("\"" + QByteArray(paramInfo(Param(p)).key.data()) + "\"");
        QVERIFY(at > last);
        last = at;
      }
      QVERIFY(line.indexOf("\"envelope\"") > last);
    }
    QCOMPARE(atomLines, 5);
    QVERIFY(!json.contains("gain_db"));
  }

  void writerRefusesWhatReaderWouldRefuse() {
    AtomSet set = test::randomAtomSet(3, 3);
    auto expectInvalid = [](const AtomSet& s, const QString& expected) {
      expectError([&] { io::atomSetToJson(s); }, AtomFileError::Kind::Invalid, expected);
    };
    AtomSet bad = set;
    bad.atoms[1].gain = std::nan("");
    expectInvalid(bad, "atom 1: gain = nan is not a finite number");
    bad = set;
    bad.atoms[2].fundamental = 30000;
    expectInvalid(bad, "atom 2: fundamental_hz = 30000 is outside 20..22050 Hz");
    bad = set;
    bad.atoms[0].room = 2;
    expectInvalid(bad, "atom 0: room = 2 is not an index into the 2 rooms");
    bad = set;
    bad.atoms[0].partials = 65;
    expectInvalid(bad, "atom 0: partials = 65 is outside 1..64");
    bad = set;
    bad.sampleRate = 44100.5;
    expectInvalid(bad, "sample_rate_hz = 44100.5 is not a whole number");
    bad = set;
    bad.atomLength = 3000;
    expectInvalid(bad, "atom_length = 3000 is not a power of two");
    bad = set;
    bad.rooms[1].name = "\xff\xfe.wav";
    expectInvalid(bad, "room 1: name is not valid UTF-8");
    bad = set;
    bad.rooms[0].impulse.clear();
    expectInvalid(bad, "room 0: samples = 0 is outside 1..16777216");
    bad = set;
    bad.rooms[0].impulse.assign(10, 0.0);
    expectInvalid(bad, "room 0: impulse has L2 norm 0");
  }

  void writerHashesSamplesItself() {
    AtomSet set = test::randomAtomSet(4, 2);
    set.rooms[0].sha256 = "stale";
    const AtomSet back = io::parseAtomJson(io::atomSetToJson(set));
    QCOMPARE(back.rooms[0].sha256, impulseHash(set.rooms[0].impulse));
  }

  void roomNamesAreEscaped() {
    AtomSet set;
    Room room;
    room.name = std::string("a\"b\\c\nd\te\x01 f\xc3\xbc\xe2\x80\x93.wav");
    room.impulse = {0.5};
    set.rooms = {room, room};
    const AtomSet back = io::parseAtomJson(io::atomSetToJson(set));
    QCOMPARE(back.rooms[1].name, room.name);
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    auto row = [](const char* name, const QByteArray& json, const QString& expected) {
      QTest::newRow(name) << json << expected;
    };
    row("not json", "hello", "not valid JSON near line 1, column");
    row("empty", "", "not valid JSON");
    row("garbage after", text(validDocument()) + "x", "not valid JSON");
    row("truncated", text(validDocument()).left(200), "not valid JSON");
    row("array at top", "[1, 2]", "the top level is not a JSON object");
    row("NaN literal", text(validDocument()).replace("\"gain\": 1", "\"gain\": NaN"),
        "not valid JSON");
    row("number beyond double", text(validDocument()).replace("\"gain\": 1", "\"gain\": 1e400"),
        "not valid JSON");
    row("no format", text(withField("format", QJsonValue::Undefined)), "missing field \"format\"");
    row("other format", text(withField("format", "wav")),
        "format is the string \"wav\", expected \"audiosplat-atoms\"");
    row("future version", text(withField("version", 2)),
        "version 2 is newer than this build reads (this build reads version 1)");
    row("version 0", text(withField("version", 0)), "version 0 is not valid");
    row("version as string", text(withField("version", "1")),
        "version is the string \"1\", expected a number");
    row("unknown top field", text(withField("colour", "red")), "unknown field \"colour\"");
    row("no atoms", text(withField("atoms", QJsonValue::Undefined)), "missing field \"atoms\"");
    row("atoms not array", text(withField("atoms", QJsonObject())),
        "atoms is an object, expected an array");
    row("rate too low", text(withField("sample_rate_hz", 500)),
        "sample_rate_hz = 500 is outside 1000..768000 Hz");
    row("rate too high", text(withField("sample_rate_hz", 800000)),
        "sample_rate_hz = 800000 is outside 1000..768000 Hz");
    row("rate fractional", text(withField("sample_rate_hz", 22050.5)),
        "sample_rate_hz = 22050.5 is not a whole number");
    row("L not power of two", text(withField("atom_length", 1000)),
        "atom_length = 1000 is not a power of two from 512 to 1048576");
    row("L too small", text(withField("atom_length", 256)), "atom_length = 256 is outside 512..1048576");
    row("L too large", text(withField("atom_length", 1 << 21)), "atom_length = 2097152 is outside");
    row("L fractional", text(withField("atom_length", 4096.5)), "atom_length = 4096.5 is not a whole number");
    row("negative length", text(withField("length_samples", -1)),
        "length_samples = -1 is outside 0..2147483647 samples");
    row("atom not object", text(withField("atoms", QJsonArray{5})),
        "atom 0 is the number 5, expected an object");
    row("missing gain", text(withAtomField("gain", QJsonValue::Undefined, 1)),
        "atom 1: missing field \"gain\"");
    row("NaN string", text(withAtomField("gain", "NaN")),
        "atom 0: gain is the string \"NaN\", expected a number");
    row("Infinity string", text(withAtomField("onset_s", "Infinity")),
        "atom 0: onset_s is the string \"Infinity\", expected a number");
    row("gain null", text(withAtomField("gain", QJsonValue::Null)), "atom 0: gain is null, expected a number");
    row("decay negative", text(withAtomField("decay_t60_s", -3)),
        "atom 0: decay_t60_s = -3 is outside 0.005..10 s");
    row("gain too large", text(withAtomField("gain", 1e5)), "atom 0: gain = 100000 is outside 0..10000");
    row("fc above Nyquist", text(withAtomField("noise_centre_hz", 12000)),
        "atom 0: noise_centre_hz = 12000 is outside 20..11025 Hz");
    row("f0 above Nyquist", text(withAtomField("fundamental_hz", 11025.5)),
        "atom 0: fundamental_hz = 11025.5 is outside 20..11025 Hz");
    row("mix above 1", text(withAtomField("tonal_mix", 1.5)), "atom 0: tonal_mix = 1.5 is outside 0..1");
    row("onset beyond range", text(withAtomField("onset_s", 1e300)), "atom 0: onset_s = 1e+300 is outside");
    row("envelope unknown", text(withAtomField("envelope", "square")),
        "atom 0: envelope is the string \"square\", expected \"gamma\" or \"gaussian\"");
    row("envelope number", text(withAtomField("envelope", 1)), "atom 0: envelope is the number 1, expected a string");
    row("partials 0", text(withAtomField("partials", 0)), "atom 0: partials = 0 is outside 1..64");
    row("partials 65", text(withAtomField("partials", 65)), "atom 0: partials = 65 is outside 1..64");
    row("partials fractional", text(withAtomField("partials", 2.5)), "atom 0: partials = 2.5 is not a whole number");
    row("seed negative", text(withAtomField("seed", -1)), "atom 0: seed = -1 is outside 0..4294967295");
    row("seed too large", text(withAtomField("seed", 4294967296.0)), "atom 0: seed = 4294967296 is outside");
    row("room out of range", text(withAtomField("room", 1)), "atom 0: room = 1 is outside 0..0");
    row("room string", text(withAtomField("room", "0")), "atom 0: room is the string \"0\", expected a number");
    row("unknown atom field", text(withAtomField("gian", 1, 1)), "atom 1: unknown field \"gian\"");
    row("gain_db not a field", text(withAtomField("gain_db", 0)), "atom 0: unknown field \"gain_db\"");
    QJsonObject noRooms = withAtomField("room", 0);
    noRooms["rooms"] = QJsonArray();
    row("room without rooms", text(noRooms), "atom 0: room is the number 0 but the file has no rooms");
    row("room hash mismatch", text(withRoomField("sha256", QString(64, '0'))),
        "room 0: sha256 does not match the impulse samples");
    row("room count mismatch", text(withRoomField("samples", 4)),
        "room 0: impulse_f64le_base64 has 32 characters; 4 samples take 44");
    row("room bad base64", text(withRoomField("impulse_f64le_base64", QString(32, '*'))),
        "room 0: impulse_f64le_base64 is not valid base64");
    row("room too long", text(withRoomField("samples", 16777217)),
        "room 0: samples = 16777217 is outside 1..16777216");
    row("room name number", text(withRoomField("name", 3)), "room 0: name is the number 3, expected a string");
    row("room unknown field", text(withRoomField("gain", 1)), "room 0: unknown field \"gain\"");
    row("room silent", text(withImpulse({0.0, 0.0})), "room 0: impulse has L2 norm 0");
    row("room NaN sample", text(withImpulse({1.0, std::nan("")})), "room 0: impulse sample 1 is nan");
    row("room infinite sample", text(withImpulse({1.0, 2.0, -INFINITY})), "room 0: impulse sample 2 is -inf");
    row("deep nesting", QByteArray(100000, '[') + QByteArray(100000, ']'), "too deeply nested");
    row("deep nesting in atom",
        text(validDocument()).replace("\"seed\": 0", "\"seed\": " + QByteArray(5000, '[')),
        "too deeply nested");
    QByteArray manyAtoms = text(withField("atoms", QJsonArray()));
    QByteArray atomsText(1000001 * 3, ',');
    for (qsizetype i = 0; i < atomsText.size(); i += 3) atomsText[i] = '{', atomsText[i + 1] = '}';
    atomsText.chop(1);
    manyAtoms.replace("\"atoms\": [", "\"atoms\": [" + atomsText);
    row("too many atoms", manyAtoms, "1000001 atoms, more than the 1000000 an atom file may hold");
    QByteArray manyRooms = text(withField("rooms", QJsonArray()));
    manyRooms.replace("\"rooms\": [", "\"rooms\": [" + QByteArray("{},").repeated(1024) + "{}");
    row("too many rooms", manyRooms, "1025 rooms, more than the 1024");
  }

  void malformed() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    expectError([&] { io::parseAtomJson(json); }, AtomFileError::Kind::Invalid, expected);
  }

  void validDocumentParses() {
    // The base of the malformed cases is itself valid, so each case fails for its own reason.
    const AtomSet set = io::parseAtomJson(text(validDocument()));
    QCOMPARE(set.atoms.size(), size_t(2));
    QCOMPARE(set.atoms[1].room, 0);
    QCOMPARE(set.atoms[0].room, -1);
    QVERIFY(set.atoms[1].envelope == Envelope::Gaussian);
    // Whole numbers may be written in any JSON form.
    QVERIFY(io::parseAtomJson(text(withAtomField("partials", 1.6e1))).atoms[0].partials == 16);
  }

  void filesWriteAtomicallyAndReadBack() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("set.atoms.json").toStdString();
    const AtomSet first = test::randomAtomSet(5, 50), second = test::randomAtomSet(6, 7);
    io::writeAtomFile(path, first);
    QVERIFY(io::readAtomFile(path) == first);
    io::writeAtomFile(path, second);
    QVERIFY(io::readAtomFile(path) == second);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporary left

    // A set that cannot be written leaves the file as it was.
    AtomSet bad = second;
    bad.atoms[0].decay = 0;
    expectError([&] { io::writeAtomFile(path, bad); }, AtomFileError::Kind::Invalid, "decay_t60_s = 0");
    QVERIFY(io::readAtomFile(path) == second);

    expectError([&] { io::writeAtomFile(dir.filePath("no/such/dir.json").toStdString(), first); },
                AtomFileError::Kind::WriteFailed, "cannot write");
  }

  void fileErrorsNameThePath() {
    QTemporaryDir dir;
    const std::string missing = dir.filePath("missing.json").toStdString();
    expectError([&] { io::readAtomFile(missing); }, AtomFileError::Kind::Unreadable,
                QString::fromStdString(missing + ": no such file"));
    expectError([&] { io::readAtomFile(dir.path().toStdString()); }, AtomFileError::Kind::Unreadable,
                "not a regular file");
    expectError([&] { io::readAtomFile("/dev/zero"); }, AtomFileError::Kind::Unreadable,
                "not a regular file");

    const QString bad = dir.filePath("bad.json");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text(withAtomField("decay_t60_s", -3)));
    file.close();
    expectError([&] { io::readAtomFile(bad.toStdString()); }, AtomFileError::Kind::Invalid,
                bad + ": atom 0: decay_t60_s = -3 is outside 0.005..10 s");
  }

  void oversizedFileIsRefusedBeforeReading() {
    QTemporaryDir dir;
    QFile file(dir.filePath("huge.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(io::format::kMaxFileBytes + 1));  // sparse: no disk, no time
    file.close();
    QElapsedTimer timer;
    timer.start();
    expectError([&] { io::readAtomFile(file.fileName().toStdString()); },
                AtomFileError::Kind::Invalid, "1073741825 bytes, more than the 1073741824");
    QVERIFY(timer.elapsed() < 1000);
  }

  void detectsAtomFilesByContent() {
    QTemporaryDir dir;
    auto write = [&](const QString& name, const QByteArray& bytes) {
      QFile f(dir.filePath(name));
      f.open(QIODevice::WriteOnly);
      f.write(bytes);
      return dir.filePath(name).toStdString();
    };
    QVERIFY(io::looksLikeAtomFile(write("a.wav", " \n\t{\"format\"")));
    QVERIFY(io::looksLikeAtomFile(write("bom.json", "\xEF\xBB\xBF{")));  // Qt's reader accepts a BOM
    QVERIFY(!io::looksLikeAtomFile(write("b.json", "RIFF\x10\0\0\0WAVE")));
    QVERIFY(!io::looksLikeAtomFile(write("c.json", "")));
    QVERIFY(!io::looksLikeAtomFile(dir.filePath("missing").toStdString()));
  }
};

QTEST_GUILESS_MAIN(TestAtomFile)
#include "test_atom_file.moc"
