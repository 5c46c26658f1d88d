#include "document_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <utility>

#include <nlohmann/json.hpp>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include "parley/validation.hpp"

namespace parley::server {
namespace {

constexpr std::size_t npos = std::string::npos;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string extension_of(std::string_view file_name) {
  if (const auto slash = file_name.find_last_of("/\\"); slash != std::string_view::npos) {
    file_name.remove_prefix(slash + 1);
  }
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return lower(file_name.substr(dot + 1));
}

struct KindName {
  std::string_view key;
  std::string_view kind;
};

constexpr std::array kExtensions{
    KindName{"txt", "text"},      KindName{"text", "text"},     KindName{"log", "text"},
    KindName{"md", "markdown"},   KindName{"markdown", "markdown"},
    KindName{"csv", "csv"},       KindName{"tsv", "csv"},       KindName{"json", "json"},
    KindName{"pdf", "pdf"},       KindName{"c", "code"},        KindName{"cc", "code"},
    KindName{"cpp", "code"},      KindName{"cxx", "code"},      KindName{"h", "code"},
    KindName{"hh", "code"},       KindName{"hpp", "code"},      KindName{"py", "code"},
    KindName{"js", "code"},       KindName{"mjs", "code"},      KindName{"ts", "code"},
    KindName{"java", "code"},     KindName{"go", "code"},       KindName{"rs", "code"},
    KindName{"rb", "code"},       KindName{"sh", "code"},       KindName{"sql", "code"},
    KindName{"html", "code"},     KindName{"htm", "code"},      KindName{"css", "code"},
    KindName{"xml", "code"},      KindName{"yaml", "code"},     KindName{"yml", "code"},
    KindName{"toml", "code"},     KindName{"ini", "code"},
};

constexpr std::array kMediaTypes{
    KindName{"text/plain", "text"},
    KindName{"text/x-log", "text"},
    KindName{"text/markdown", "markdown"},
    KindName{"text/x-markdown", "markdown"},
    KindName{"text/csv", "csv"},
    KindName{"application/csv", "csv"},
    KindName{"text/tab-separated-values", "csv"},
    KindName{"application/json", "json"},
    KindName{"text/json", "json"},
    KindName{"application/pdf", "pdf"},
    KindName{"text/x-c", "code"},
    KindName{"text/x-csrc", "code"},
    KindName{"text/x-chdr", "code"},
    KindName{"text/x-c++src", "code"},
    KindName{"text/x-c++hdr", "code"},
    KindName{"text/x-python", "code"},
    KindName{"text/x-script.python", "code"},
    KindName{"text/javascript", "code"},
    KindName{"application/javascript", "code"},
    KindName{"application/x-javascript", "code"},
    KindName{"application/typescript", "code"},
    KindName{"text/x-typescript", "code"},
    KindName{"text/x-java", "code"},
    KindName{"text/x-java-source", "code"},
    KindName{"text/x-go", "code"},
    KindName{"text/x-rust", "code"},
    KindName{"text/x-ruby", "code"},
    KindName{"application/x-ruby", "code"},
    KindName{"application/x-sh", "code"},
    KindName{"text/x-sh", "code"},
    KindName{"text/x-shellscript", "code"},
    KindName{"application/sql", "code"},
    KindName{"text/x-sql", "code"},
    KindName{"text/html", "code"},
    KindName{"text/css", "code"},
    KindName{"application/xml", "code"},
    KindName{"text/xml", "code"},
    KindName{"application/yaml", "code"},
    KindName{"application/x-yaml", "code"},
    KindName{"text/yaml", "code"},
    KindName{"text/x-yaml", "code"},
    KindName{"application/toml", "code"},
    KindName{"text/x-toml", "code"},
};

template <std::size_t N>
std::optional<std::string> find_kind(const std::array<KindName, N>& table, std::string_view key) {
  for (const KindName& entry : table) {
    if (entry.key == key) return std::string(entry.kind);
  }
  return std::nullopt;
}

// Replaces each ill-formed byte with U+FFFD and drops NUL bytes.
std::string sanitize_utf8(std::string text) {
  if (validation::first_invalid_utf8(text) == npos && text.find('\0') == npos) return text;
  std::string out;
  out.reserve(text.size());
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t bad = validation::first_invalid_utf8(rest);
    const std::string_view good = rest.substr(0, bad == npos ? rest.size() : bad);
    for (char c : good) {
      if (c != '\0') out += c;
    }
    if (bad == npos) break;
    out += "\xEF\xBF\xBD";
    rest.remove_prefix(bad + 1);
  }
  return out;
}

// CRLF and lone CR become LF; a form feed (page break) becomes a blank line.
std::string normalize_line_ends(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\f') {
      out += "\n\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

ExtractedDocument failed(ExtractedDocument doc, std::string code, std::string message) {
  doc.error_code = std::move(code);
  doc.error = std::move(message);
  return doc;
}

std::string with_offset(std::string message, std::size_t offset) {
  message += std::to_string(offset);
  return message;
}

// Records where JSON stops being valid; builds nothing.
class JsonChecker final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
    message_ = error.what();
    // Drop the library's "[json.exception.parse_error.101] " prefix.
    if (message_.starts_with('[')) {
      if (const auto close = message_.find("] "); close != std::string::npos) message_.erase(0, close + 2);
    }
    return false;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_{};
};

bool read_file(const std::filesystem::path& file, std::string& content, std::size_t limit = npos) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  content.clear();
  char buffer[64 * 1024];
  while (content.size() < limit) {
    const std::size_t want = std::min(sizeof buffer, limit - content.size());
    in.read(buffer, static_cast<std::streamsize>(want));
    const auto got = in.gcount();
    if (got > 0) content.append(buffer, static_cast<std::size_t>(got));
    if (!in) return in.eof();
  }
  return true;
}

void ignore_poppler_message(const std::string&, void*) {}

ExtractedDocument extract_pdf(const std::filesystem::path& file, ExtractedDocument doc) {
  std::string head;
  if (!read_file(file, head, 1024)) {
    return failed(std::move(doc), "bad_document", "the file cannot be read");
  }
  // PDF readers accept the header anywhere in the first 1024 bytes.
  if (head.find("%PDF-") == npos) {
    return failed(std::move(doc), "bad_document", "not a PDF file (no %PDF- header)");
  }

  static std::once_flag quiet;
  std::call_once(quiet, [] { poppler::set_debug_error_function(ignore_poppler_message, nullptr); });

  const std::unique_ptr<poppler::document> pdf(poppler::document::load_from_file(file.string()));
  if (!pdf) return failed(std::move(doc), "bad_document", "the PDF is damaged and cannot be read");
  if (pdf->is_locked()) {
    return failed(std::move(doc), "bad_document", "the PDF is password-protected");
  }
  const int count = pdf->pages();
  if (count <= 0) return failed(std::move(doc), "bad_document", "the PDF has no pages");

  bool any_text = false;
  for (int i = 0; i < count; ++i) {
    DocumentPage page;
    page.number = static_cast<unsigned>(i + 1);
    if (const std::unique_ptr<poppler::page> p(pdf->create_page(i)); p) {
      const poppler::byte_array utf8 =
          p->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
      page.text = normalize_line_ends(sanitize_utf8(std::string(utf8.begin(), utf8.end())));
    }
    any_text = any_text || !blank(page.text);
    doc.pages.push_back(std::move(page));
  }
  if (!any_text) {
    return failed(std::move(doc), "no_text",
                  "the PDF has no text layer (scanned pages would need OCR)");
  }
  return doc;
}

ExtractedDocument extract_text(const std::filesystem::path& file, ExtractedDocument doc) {
  std::string content;
  if (!read_file(file, content)) {
    return failed(std::move(doc), "bad_document", "the file cannot be read");
  }
  std::size_t base = 0;
  if (content.starts_with("\xEF\xBB\xBF")) {
    content.erase(0, 3);
    base = 3;
  }
  if (const std::size_t bad = validation::first_invalid_utf8(content); bad != npos) {
    return failed(std::move(doc), "bad_document",
                  with_offset("the file is not valid UTF-8 text: invalid byte at offset ", base + bad));
  }
  if (const std::size_t nul = content.find('\0'); nul != npos) {
    return failed(std::move(doc), "bad_document",
                  with_offset("the file is not text: NUL byte at offset ", base + nul));
  }
  std::string text = normalize_line_ends(content);

  if (doc.kind == "json") {
    JsonChecker checker;
    if (!nlohmann::json::sax_parse(text, &checker)) {
      std::string message = "the file is not valid JSON: ";
      message += checker.message();
      return failed(std::move(doc), "bad_document", std::move(message));
    }
  }

  const bool empty = blank(text);
  doc.pages.push_back(DocumentPage{std::move(text), 0});
  if (empty) return failed(std::move(doc), "no_text", "the file contains no text");
  return doc;
}

}  // namespace

std::optional<std::string> document_kind(std::string_view file_name, std::string_view media_type) {
  if (auto kind = find_kind(kExtensions, extension_of(file_name))) return kind;
  std::string type = lower(trim(media_type.substr(0, media_type.find(';'))));
  if (auto kind = find_kind(kMediaTypes, type)) return kind;
  if (type.starts_with("application/") && type.ends_with("+json")) return std::string("json");
  if (type.starts_with("application/") && type.ends_with("+xml")) return std::string("code");
  return std::nullopt;
}

ExtractedDocument extract_document(const std::filesystem::path& file, std::string_view file_name,
                                   std::string_view media_type) {
  ExtractedDocument doc;
  const std::optional<std::string> kind = document_kind(file_name, media_type);
  if (!kind) {
    std::string message = "unsupported document type";
    if (const std::string extension = extension_of(file_name); !extension.empty()) {
      message += " (.";
      message += extension;
      message += ")";
    } else if (!media_type.empty()) {
      message += " (";
      message += media_type;
      message += ")";
    }
    return failed(std::move(doc), "unsupported_type", std::move(message));
  }
  doc.kind = *kind;
  if (doc.kind == "pdf") return extract_pdf(file, std::move(doc));
  return extract_text(file, std::move(doc));
}

}  // namespace parley::server
