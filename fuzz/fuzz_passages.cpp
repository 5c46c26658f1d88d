// split_passages on any text. The last input bytes choose the passage size and whether
// the text is CSV; a form feed starts a new (PDF) page. Checked: passages are trimmed
// and never empty, keep every non-space byte of the text, stay within twice the target
// (or are one code point), never cut a UTF-8 sequence of valid text, and name a location.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <string>

#include "fuzz_check.hpp"
#include "parley/validation.hpp"
#include "passage_splitter.hpp"

namespace {

using namespace parley::server;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::size_t non_space_bytes(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_space(c); }));
}

bool one_code_point(std::string_view s) {
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; });
}

bool location_ok(std::string_view location, bool pdf) {
  if (pdf) return location.starts_with("page ");
  return location.starts_with("line ") || (location.starts_with("lines ") &&
                                           location.find("\xE2\x80\x93") != std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::size_t target = input.ConsumeIntegralInRange<std::size_t>(1, 600);
  ExtractedDocument doc;
  doc.kind = input.ConsumeBool() ? "csv" : "text";
  const std::string text = input.ConsumeRemainingBytesAsString();

  const bool pdf = text.find('\f') != std::string::npos;
  if (pdf) {
    doc.kind = "pdf";
    std::size_t start = 0;
    for (unsigned number = 1;; ++number) {
      const std::size_t end = std::min(text.find('\f', start), text.size());
      doc.pages.push_back(DocumentPage{text.substr(start, end - start), number});
      if (end == text.size()) break;
      start = end + 1;
    }
  } else {
    doc.pages.push_back(DocumentPage{text, 0});
  }

  const std::vector<Passage> passages = split_passages(doc, target);
  std::size_t kept = 0;
  for (const Passage& p : passages) {
    PARLEY_FUZZ_CHECK(!p.text.empty(), "an empty passage");
    PARLEY_FUZZ_CHECK(!is_space(p.text.front()) && !is_space(p.text.back()), p.text);
    PARLEY_FUZZ_CHECK(p.text.size() <= 2 * target || one_code_point(p.text), p.text);
    PARLEY_FUZZ_CHECK(location_ok(p.location, pdf), p.location);
    kept += non_space_bytes(p.text);
  }
  std::size_t total = 0;
  bool valid = true;
  for (const DocumentPage& page : doc.pages) {
    total += non_space_bytes(page.text);
    valid = valid && parley::validation::is_valid_utf8(page.text);
  }
  PARLEY_FUZZ_CHECK(kept == total, "passages lost or repeated text");
  if (valid) {
    for (const Passage& p : passages) {
      PARLEY_FUZZ_CHECK(parley::validation::is_valid_utf8(p.text), "a cut inside a UTF-8 sequence");
    }
  }
  return 0;
}
