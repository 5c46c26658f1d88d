// Text of an uploaded document, ready to be split into passages for the assistant's
// retrieval. Plain text kinds (text, Markdown, CSV/TSV, JSON, source code) must be valid
// UTF-8; a byte order mark is dropped and CRLF / lone CR line ends become "\n". PDFs are
// read with poppler, one page at a time, in reading order.
//
// Error codes (ok() is true only when error_code is empty):
//   unsupported_type  the name and media type name no kind we read
//   bad_document      unreadable: invalid UTF-8 (message gives the byte offset), a NUL
//                     byte, JSON that does not parse, not really a PDF, a damaged or
//                     password-protected PDF, or the file cannot be read
//   no_text           read fine but holds no text (empty file, a scanned PDF without a
//                     text layer); `pages` still holds what was read, e.g. one empty page
//                     per PDF page, so callers may decide to keep such a document
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

struct DocumentPage {
  std::string text{};
  unsigned number = 0;  // 1-based page for PDF; 0 for a plain text file
};

struct ExtractedDocument {
  std::vector<DocumentPage> pages{};
  std::string kind{};  // as document_kind() names it; set whenever the kind is supported
  std::string error_code{};
  std::string error{};
  bool ok() const { return error_code.empty(); }
};

// "text", "markdown", "csv", "json", "code" or "pdf"; nullopt when unsupported. A known
// file name extension decides; otherwise the media type (parameters such as "; charset"
// are ignored).
std::optional<std::string> document_kind(std::string_view file_name, std::string_view media_type);

ExtractedDocument extract_document(const std::filesystem::path& file, std::string_view file_name,
                                   std::string_view media_type);

}  // namespace parley::server
