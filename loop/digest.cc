#include "loop/digest.h"

namespace laplace {

uint64_t HashString(std::string_view text) {
  Digest digest;
  digest.Add(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint64_t word = 0;
    for (int byte = 0; byte < 8 && i < text.size(); ++byte, ++i) {
      word |= static_cast<uint64_t>(static_cast<unsigned char>(text[i])) << (8 * byte);
    }
    digest.Add(word);
  }
  return digest.value();
}

}  // namespace laplace
