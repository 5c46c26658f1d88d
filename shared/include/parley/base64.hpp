// Base64 (RFC 4648, standard alphabet, with padding) for upload chunks, which travel
// inside JSON text frames.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley {

std::string base64_encode(std::string_view bytes);
// nullopt for anything but canonical padded base64 (wrong length, other characters,
// bits set after the data).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace parley
