#include "document_text.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "passage_splitter.hpp"

namespace parley::server {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "parley-doc-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  fs::path path_{};
};

std::string pdf_string(const std::string& text) {
  std::string out = "(";
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  out += ")";
  return out;
}

// A minimal PDF 1.4 with one page per entry, each showing its text in Helvetica (an empty
// entry gives a page with no text), with a correct cross-reference table. `encrypt`
// adds a standard security handler whose passwords nothing here knows.
std::string make_pdf(const std::vector<std::string>& pages, bool encrypt = false) {
  std::vector<std::string> objects;  // object i + 1
  std::string kids;
  const std::size_t first_page = 4;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (!kids.empty()) kids += " ";
    kids += std::to_string(first_page + 2 * i);
    kids += " 0 R";
  }
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string tree = "<< /Type /Pages /Kids [";
  tree += kids;
  tree += "] /Count ";
  tree += std::to_string(pages.size());
  tree += " >>";
  objects.push_back(tree);
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    std::string page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ";
    page += "/Resources << /Font << /F1 3 0 R >> >> /Contents ";
    page += std::to_string(first_page + 2 * i + 1);
    page += " 0 R >>";
    objects.push_back(page);
    std::string content;
    if (!pages[i].empty()) {
      content = "BT /F1 12 Tf 72 720 Td ";
      content += pdf_string(pages[i]);
      content += " Tj ET";
    }
    std::string stream = "<< /Length ";
    stream += std::to_string(content.size());
    stream += " >>\nstream\n";
    stream += content;
    stream += "\nendstream";
    objects.push_back(stream);
  }
  if (encrypt) {
    objects.push_back(
        "<< /Filter /Standard /V 1 /R 2 /P -44 "
        "/O <1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988> "
        "/U <99aa88bb77cc66dd99aa88bb77cc66dd99aa88bb77cc66dd99aa88bb77cc66dd> >>");
  }

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1);
    pdf += " 0 obj\n";
    pdf += objects[i];
    pdf += "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 ";
  pdf += std::to_string(objects.size() + 1);
  pdf += "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size ";
  pdf += std::to_string(objects.size() + 1);
  pdf += " /Root 1 0 R";
  if (encrypt) {
    pdf += " /Encrypt ";
    pdf += std::to_string(objects.size());
    pdf += " 0 R /ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]";
  }
  pdf += " >>\nstartxref\n";
  pdf += std::to_string(xref);
  pdf += "\n%%EOF\n";
  return pdf;
}

TEST(DocumentKind, ByExtensionThenMediaType) {
  EXPECT_EQ(document_kind("notes.TXT", ""), "text");
  EXPECT_EQ(document_kind("server.log", ""), "text");
  EXPECT_EQ(document_kind("README.md", ""), "markdown");
  EXPECT_EQ(document_kind("guide.markdown", ""), "markdown");
  EXPECT_EQ(document_kind("data.csv", ""), "csv");
  EXPECT_EQ(document_kind("data.tsv", ""), "csv");
  EXPECT_EQ(document_kind("config.json", ""), "json");
  EXPECT_EQ(document_kind("report.pdf", ""), "pdf");
  for (const char* name : {"a.c", "a.cc", "a.cpp", "a.h", "a.hpp", "a.py", "a.js", "a.ts", "a.java",
                           "a.go", "a.rs", "a.rb", "a.sh", "a.sql", "a.html", "a.css", "a.xml",
                           "a.yaml", "a.yml", "a.toml", "a.ini", "dir/sub/Main.JAVA"}) {
    EXPECT_EQ(document_kind(name, "application/octet-stream"), "code") << name;
  }
  // A known extension wins over the media type.
  EXPECT_EQ(document_kind("notes.txt", "application/pdf"), "text");
  // Without one, the media type decides; parameters and case do not matter.
  EXPECT_EQ(document_kind("upload", "application/pdf"), "pdf");
  EXPECT_EQ(document_kind("upload", "Text/Markdown; charset=UTF-8"), "markdown");
  EXPECT_EQ(document_kind("upload", "text/plain"), "text");
  EXPECT_EQ(document_kind("upload", "application/ld+json"), "json");
  EXPECT_EQ(document_kind("Makefile.unknown", "text/x-python"), "code");
  // Unsupported kinds.
  EXPECT_EQ(document_kind("photo.png", "image/png"), std::nullopt);
  EXPECT_EQ(document_kind("setup.exe", "application/octet-stream"), std::nullopt);
  EXPECT_EQ(document_kind("archive.zip", ""), std::nullopt);
  EXPECT_EQ(document_kind("report.docx", ""), std::nullopt);
  EXPECT_EQ(document_kind("", ""), std::nullopt);
  EXPECT_EQ(document_kind(".txt", ""), std::nullopt) << "a dot file has no extension";
}

TEST(DocumentText, UnsupportedKindIsRefused) {
  TempDir dir;
  const auto doc = extract_document(dir.write("photo.png", "\x89PNG"), "photo.png", "image/png");
  EXPECT_FALSE(doc.ok());
  EXPECT_EQ(doc.error_code, "unsupported_type");
  EXPECT_NE(doc.error.find(".png"), std::string::npos) << doc.error;
  EXPECT_TRUE(doc.pages.empty());
}

TEST(DocumentText, PlainTextDropsBomAndNormalisesLineEnds) {
  TempDir dir;
  const auto file = dir.write("a.txt", "\xEF\xBB\xBFone\r\ntwo\rthree\n\r\nfour");
  const auto doc = extract_document(file, "a.txt", "text/plain");
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.kind, "text");
  ASSERT_EQ(doc.pages.size(), 1u);
  EXPECT_EQ(doc.pages[0].number, 0u);
  EXPECT_EQ(doc.pages[0].text, "one\ntwo\nthree\n\nfour");
}

TEST(DocumentText, KeepsMultibyteUtf8) {
  TempDir dir;
  const std::string text = "Gr\xC3\xBC\xC3\x9F" "e \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\n";
  const auto doc = extract_document(dir.write("a.md", text), "a.md", "");
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.kind, "markdown");
  EXPECT_EQ(doc.pages.at(0).text, text);
}

TEST(DocumentText, InvalidUtf8IsABadDocumentWithItsOffset) {
  TempDir dir;
  struct Case {
    std::string bytes{};
    std::string offset{};
  };
  const std::vector<Case> cases{
      {"abc\xC3\x28 rest", "offset 3"},              // bad continuation
      {"ok \xC0\xAF", "offset 3"},                   // overlong '/'
      {"\xED\xA0\x80 surrogate", "offset 0"},        // UTF-16 surrogate
      {"x\xF4\x90\x80\x80", "offset 1"},             // above U+10FFFF
      {"truncated \xE6\x97", "offset 10"},           // cut short at the end
      {"latin-1 caf\xE9!", "offset 11"},             // a Latin-1 file
      {"\xEF\xBB\xBF" "bom then \xFF", "offset 12"}, // offsets count the BOM
  };
  for (const Case& c : cases) {
    const auto doc = extract_document(dir.write("bad.txt", c.bytes), "bad.txt", "text/plain");
    EXPECT_EQ(doc.error_code, "bad_document") << c.bytes;
    EXPECT_NE(doc.error.find("UTF-8"), std::string::npos) << doc.error;
    EXPECT_TRUE(doc.error.ends_with(c.offset)) << doc.error << " expected " << c.offset;
  }
}

TEST(DocumentText, NulByteIsNotText) {
  TempDir dir;
  const auto doc = extract_document(dir.write("a.py", std::string("print(1)\0\0", 10)), "a.py", "");
  EXPECT_EQ(doc.error_code, "bad_document");
  EXPECT_TRUE(doc.error.ends_with("offset 8")) << doc.error;
}

TEST(DocumentText, JsonMustParse) {
  TempDir dir;
  const std::string good = "{\r\n  \"name\": \"Parley\",\r\n  \"tags\": [1, 2.5, null, true]\r\n}\r\n";
  const auto ok = extract_document(dir.write("good.json", good), "good.json", "application/json");
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.kind, "json");
  EXPECT_EQ(ok.pages.at(0).text, "{\n  \"name\": \"Parley\",\n  \"tags\": [1, 2.5, null, true]\n}\n");

  for (const std::string bad : {"{\"a\": 1,}", "{\"a\": ", "[1, 2] extra", "{'a': 1}"}) {
    const auto doc = extract_document(dir.write("bad.json", bad), "bad.json", "application/json");
    EXPECT_EQ(doc.error_code, "bad_document") << bad;
    EXPECT_NE(doc.error.find("not valid JSON"), std::string::npos) << doc.error;
    EXPECT_EQ(doc.error.find("json.exception"), std::string::npos) << doc.error;
  }
  // A .txt file holding broken JSON is fine: only JSON files are checked.
  EXPECT_TRUE(extract_document(dir.write("x.txt", "{\"a\": "), "x.txt", "").ok());
}

TEST(DocumentText, EmptyOrBlankFileHasNoText) {
  TempDir dir;
  for (const std::string bytes : {"", "\xEF\xBB\xBF", "  \r\n\t\n"}) {
    const auto doc = extract_document(dir.write("empty.txt", bytes), "empty.txt", "");
    EXPECT_FALSE(doc.ok());
    EXPECT_EQ(doc.error_code, "no_text");
    EXPECT_TRUE(split_passages(doc).empty());
  }
}

TEST(DocumentText, MissingFileIsABadDocument) {
  TempDir dir;
  EXPECT_EQ(extract_document("/nonexistent/parley/a.txt", "a.txt", "").error_code, "bad_document");
  EXPECT_EQ(extract_document("/nonexistent/parley/a.pdf", "a.pdf", "").error_code, "bad_document");
}

TEST(DocumentText, PdfTextPerPage) {
  TempDir dir;
  const auto file = dir.write("two.pdf", make_pdf({"Hello from page one", "Second page (says) goodbye"}));
  const auto doc = extract_document(file, "two.pdf", "application/pdf");
  ASSERT_TRUE(doc.ok()) << doc.error_code << ": " << doc.error;
  EXPECT_EQ(doc.kind, "pdf");
  ASSERT_EQ(doc.pages.size(), 2u);
  EXPECT_EQ(doc.pages[0].number, 1u);
  EXPECT_EQ(doc.pages[1].number, 2u);
  EXPECT_NE(doc.pages[0].text.find("Hello from page one"), std::string::npos) << doc.pages[0].text;
  EXPECT_NE(doc.pages[1].text.find("Second page (says) goodbye"), std::string::npos)
      << doc.pages[1].text;
  EXPECT_EQ(doc.pages[0].text.find("goodbye"), std::string::npos);

  const auto passages = split_passages(doc);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].location, "page 1");
  EXPECT_EQ(passages[0].text, "Hello from page one");
  EXPECT_EQ(passages[1].location, "page 2");
  EXPECT_EQ(passages[1].text, "Second page (says) goodbye");
}

TEST(DocumentText, PdfByMediaTypeAlone) {
  TempDir dir;
  const auto file = dir.write("upload", make_pdf({"Only by media type"}));
  const auto doc = extract_document(file, "upload", "application/pdf");
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_NE(doc.pages.at(0).text.find("Only by media type"), std::string::npos);
}

TEST(DocumentText, PdfWithoutTextSaysSo) {
  TempDir dir;
  const auto doc = extract_document(dir.write("scan.pdf", make_pdf({"", ""})), "scan.pdf", "");
  EXPECT_FALSE(doc.ok());
  EXPECT_EQ(doc.error_code, "no_text");
  EXPECT_EQ(doc.pages.size(), 2u);
  EXPECT_TRUE(split_passages(doc).empty());
}

TEST(DocumentText, NotReallyAPdf) {
  TempDir dir;
  const auto text = extract_document(dir.write("fake.pdf", "just some text"), "fake.pdf", "");
  EXPECT_EQ(text.error_code, "bad_document");
  EXPECT_NE(text.error.find("%PDF-"), std::string::npos) << text.error;

  const auto damaged =
      extract_document(dir.write("damaged.pdf", "%PDF-1.4\n1 0 obj << /Type /Cat"), "damaged.pdf", "");
  EXPECT_EQ(damaged.error_code, "bad_document") << damaged.error;
  EXPECT_FALSE(damaged.error.empty());
}

TEST(DocumentText, PasswordProtectedPdfIsRefused) {
  TempDir dir;
  const auto file = dir.write("locked.pdf", make_pdf({"Secret text"}, true));
  const auto doc = extract_document(file, "locked.pdf", "application/pdf");
  EXPECT_EQ(doc.error_code, "bad_document");
  EXPECT_NE(doc.error.find("password"), std::string::npos) << doc.error;
}

}  // namespace
}  // namespace parley::server
