// SHA-256 (FIPS 180-4), incremental, for upload checksums: the client computes the
// digest it sends with upload_finish, and the server checks the file against it. Plain
// C++ so the client compiles it to WebAssembly with no library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest of everything given so far; the object is spent afterwards.
  std::array<std::uint8_t, 32> finish();
  // Lower-case hex of finish().
  std::string hex();

  static std::string hex_of(std::string_view bytes);

 private:
  void block(const std::uint8_t* p);

  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes
};

}  // namespace parley
