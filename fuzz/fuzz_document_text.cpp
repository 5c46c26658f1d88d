// extract_document on any file, read as each supported kind (text, Markdown, CSV, JSON,
// code and PDF through poppler), then split into passages as an upload is. Checked:
// a result is pages of valid UTF-8 without NUL or CR, or an error the header lists. The
// input's first line and the rest also go to document_kind() as a name and media type.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "document_text.hpp"
#include "fuzz_check.hpp"
#include "parley/validation.hpp"
#include "passage_splitter.hpp"

namespace {

using namespace parley::server;

// poppler is slow on large damaged files; the interesting inputs are small.
constexpr std::size_t kMaxInput = 64 * 1024;

struct Kind {
  const char* file_name;
  const char* media_type;
  const char* kind;
};

constexpr Kind kKinds[] = {
    {"notes.txt", "text/plain", "text"},         {"readme.md", "text/markdown", "markdown"},
    {"table.csv", "text/csv", "csv"},            {"data.json", "application/json", "json"},
    {"main.cpp", "text/x-c++src", "code"},       {"paper.pdf", "application/pdf", "pdf"},
};

// One scratch file per fuzzer process, removed when it exits. In memory when possible:
// rewriting a file on ext4 flushes it to disk each time, which costs more than the rest.
std::filesystem::path scratch_folder() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

struct ScratchFile {
  std::filesystem::path path =
      scratch_folder() / ("parley-fuzz-document-" + std::to_string(::getpid()));
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

void check(const ExtractedDocument& doc, const Kind& kind) {
  PARLEY_FUZZ_CHECK(doc.kind == kind.kind, doc.kind);
  if (!doc.ok()) {
    PARLEY_FUZZ_CHECK(doc.error_code == "bad_document" || doc.error_code == "no_text",
                      doc.error_code);
    PARLEY_FUZZ_CHECK(!doc.error.empty(), doc.error_code);
    return;
  }
  const bool pdf = doc.kind == "pdf";
  PARLEY_FUZZ_CHECK(!doc.pages.empty(), "a readable document has pages");
  PARLEY_FUZZ_CHECK(pdf || doc.pages.size() == 1, "a text file is one page");
  for (std::size_t i = 0; i < doc.pages.size(); ++i) {
    const DocumentPage& page = doc.pages[i];
    PARLEY_FUZZ_CHECK(page.number == (pdf ? i + 1 : 0), "page numbers");
    PARLEY_FUZZ_CHECK(parley::validation::is_valid_utf8(page.text), "page text is UTF-8");
    PARLEY_FUZZ_CHECK(page.text.find_first_of(std::string_view("\0\r", 2)) == std::string::npos,
                      "page text has no NUL or CR");
  }
  for (const Passage& p : split_passages(doc)) {
    PARLEY_FUZZ_CHECK(!p.text.empty() && !p.location.empty(), "a passage has text and a location");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile scratch;
  if (size > kMaxInput) return 0;
  const std::string_view input = parley::fuzz::as_text(data, size);

  const std::size_t newline = input.find('\n');
  const std::string_view name = input.substr(0, newline);
  const std::string_view media =
      newline == std::string_view::npos ? "" : input.substr(newline + 1, 200);
  if (const auto kind = document_kind(name, media)) PARLEY_FUZZ_CHECK(!kind->empty(), "a kind");

  {
    std::ofstream out(scratch.path, std::ios::binary | std::ios::trunc);
    out.write(input.data(), static_cast<std::streamsize>(input.size()));
    PARLEY_FUZZ_CHECK(out.good(), "cannot write " + scratch.path.string());
  }
  for (const Kind& kind : kKinds) {
    check(extract_document(scratch.path, kind.file_name, kind.media_type), kind);
  }
  return 0;
}
