#include "model/atom_set.h"

#include <QCryptographicHash>
#include <cmath>
#include <cstring>

namespace audiosplat {

double Room::norm() const {
  double sum = 0.0;
  for (double v : impulse) sum += v * v;
  return std::sqrt(sum);
}

std::string impulseHash(const std::vector<double>& impulse) {
  QCryptographicHash hash(QCryptographicHash::Sha256);
  for (double v : impulse) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = char((bits >> (8 * i)) & 0xFF);
    hash.addData(QByteArrayView(bytes, 8));
  }
  return hash.result().toHex().toStdString();
}

}  // namespace audiosplat
