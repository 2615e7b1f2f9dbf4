// The file side of atom files: size checked before reading, atomic writes.
#include "io/atom_file.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "io/atom_file_format.h"

namespace audiosplat::io {

AtomSet readAtomFile(const std::string& path) {
  const QString name = QString::fromStdString(path);
  const QFileInfo info(name);
  if (!info.exists()) throw AtomFileError(AtomFileError::Kind::Unreadable, path + ": no such file");
  // Devices and pipes have no size to check and may never end.
  if (!info.isFile())
    throw AtomFileError(AtomFileError::Kind::Unreadable, path + ": not a regular file");
  if (info.size() > format::kMaxFileBytes)
    throw AtomFileError(AtomFileError::Kind::Invalid,
                        path + ": " + std::to_string(info.size()) + " bytes, more than the " +
                            std::to_string(format::kMaxFileBytes) + " an atom file may hold");
  QFile file(name);
  if (!file.open(QIODevice::ReadOnly))
    throw AtomFileError(AtomFileError::Kind::Unreadable,
                        path + ": " + file.errorString().toStdString());
  // At most the size just checked, even if the file grows meanwhile.
  const QByteArray bytes = file.read(info.size());
  if (bytes.size() != info.size())
    throw AtomFileError(AtomFileError::Kind::Unreadable,
                        path + ": read " + std::to_string(bytes.size()) + " of " +
                            std::to_string(info.size()) + " bytes: " +
                            file.errorString().toStdString());
  try {
    return parseAtomJson(bytes);
  } catch (const AtomFileError& e) {
    throw AtomFileError(e.kind(), path + ": " + e.what());
  }
}

void writeAtomFile(const std::string& path, const AtomSet& set) {
  const QByteArray json = atomSetToJson(set);
  QSaveFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
    throw AtomFileError(AtomFileError::Kind::WriteFailed,
                        path + ": cannot write: " + file.errorString().toStdString());
}

bool looksLikeAtomFile(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!QFileInfo(file).isFile() || !file.open(QIODevice::ReadOnly)) return false;
  const QByteArray head = file.read(256);
  qsizetype i = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte order mark
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
    ++i;
  return i < head.size() && head[i] == '{';
}

}  // namespace audiosplat::io
