#include "passage_splitter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace parley::server {
namespace {

const std::string kDash = "\xE2\x80\x93";

ExtractedDocument text_document(std::string text, std::string kind = "text") {
  ExtractedDocument doc;
  doc.kind = std::move(kind);
  doc.pages.push_back(DocumentPage{std::move(text), 0});
  return doc;
}

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t'; });
}

unsigned line_at(const std::string& text, std::size_t offset) {
  return 1u + static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

std::string lines_location(unsigned first, unsigned last) {
  std::string location = first == last ? "line " : "lines ";
  location += std::to_string(first);
  if (first != last) {
    location += kDash;
    location += std::to_string(last);
  }
  return location;
}

bool valid_utf8_boundaries(const std::string& passage) {
  const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  if (passage.empty() || continuation(passage.front())) return false;
  // The last lead byte must be followed by exactly its continuation bytes.
  std::size_t lead = passage.size() - 1;
  while (lead > 0 && continuation(passage[lead])) --lead;
  const auto c = static_cast<unsigned char>(passage[lead]);
  const std::size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return passage.size() - lead == length;
}

// Passages cover the text in order, each exactly once, separated only by whitespace, with
// the right line range, within the size bounds.
void expect_exact_cover(const std::string& text, const std::vector<Passage>& passages,
                        std::size_t target) {
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const Passage& p = passages[i];
    SCOPED_TRACE(i);
    ASSERT_FALSE(p.text.empty());
    EXPECT_FALSE(blank(p.text.substr(0, 1)) || blank(p.text.substr(p.text.size() - 1))) << "trimmed";
    EXPECT_LE(p.text.size(), 2 * target);
    if (i + 1 < passages.size()) {
      EXPECT_GE(p.text.size(), target / 2) << p.text;
    }
    EXPECT_TRUE(valid_utf8_boundaries(p.text));
    const std::size_t found = text.find(p.text, cursor);
    ASSERT_NE(found, std::string::npos) << p.text;
    EXPECT_TRUE(blank(std::string_view(text).substr(cursor, found - cursor))) << "nothing skipped";
    EXPECT_EQ(p.location, lines_location(line_at(text, found), line_at(text, found + p.text.size() - 1)));
    cursor = found + p.text.size();
  }
  EXPECT_TRUE(blank(std::string_view(text).substr(cursor))) << "nothing left out";
}

std::string sentence(int i) {
  std::string s = "Sentence number ";
  s += std::to_string(i);
  s += " talks about the chat server and its assistant.";
  return s;
}

TEST(PassageSplitter, ShortTextIsOnePassageWithItsLines) {
  const auto passages = split_passages(text_document("\n\n  first line\nsecond line  \n\n\n"));
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].text, "first line\nsecond line");
  EXPECT_EQ(passages[0].location, "lines 3" + kDash + "4");

  const auto single = split_passages(text_document("\n\n\n\n\n\nseventh line only\n"));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].location, "line 7");
}

TEST(PassageSplitter, SkipsEmptyAndBlankPages) {
  EXPECT_TRUE(split_passages(text_document("")).empty());
  EXPECT_TRUE(split_passages(text_document(" \n\t\n  \n")).empty());
  EXPECT_TRUE(split_passages(ExtractedDocument{}).empty());
}

TEST(PassageSplitter, LongTextStaysWithinBoundsAndCoversEverything) {
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += sentence(i);
    text += i % 7 == 6 ? "\n\n" : i % 3 == 2 ? "\n" : " ";
  }
  for (const std::size_t target : {std::size_t{80}, std::size_t{300}, std::size_t{700}, std::size_t{2000}}) {
    SCOPED_TRACE(target);
    const auto passages = split_passages(text_document(text), target);
    ASSERT_GT(passages.size(), text.size() / (2 * target));
    expect_exact_cover(text, passages, target);
  }
}

TEST(PassageSplitter, PrefersParagraphBreaks) {
  std::string text;
  std::vector<std::string> paragraphs;
  for (int p = 0; p < 30; ++p) {
    std::string paragraph;
    for (int s = 0; s < 4; ++s) {
      if (s > 0) paragraph += (s == 2 ? "\n" : " ");
      paragraph += sentence(p * 10 + s);
    }
    paragraphs.push_back(paragraph);  // about 250 bytes
    text += paragraph;
    text += "\n\n";
  }
  const auto passages = split_passages(text_document(text), 600);
  expect_exact_cover(text, passages, 600);
  for (const Passage& passage : passages) {
    // Each passage is a run of whole paragraphs.
    EXPECT_TRUE(std::any_of(paragraphs.begin(), paragraphs.end(),
                            [&](const std::string& p) { return passage.text.starts_with(p); }));
    EXPECT_TRUE(std::any_of(paragraphs.begin(), paragraphs.end(),
                            [&](const std::string& p) { return passage.text.ends_with(p); }));
  }
}

TEST(PassageSplitter, FallsBackToLinesThenSentencesThenSpaces) {
  // Lines only: every passage ends at a line end.
  std::string lines;
  for (int i = 0; i < 60; ++i) {
    lines += sentence(i);
    lines += "\n";
  }
  auto passages = split_passages(text_document(lines), 300);
  expect_exact_cover(lines, passages, 300);
  for (const Passage& p : passages) EXPECT_TRUE(p.text.ends_with("assistant.")) << p.text;

  // One long line of sentences: passages end at sentence ends.
  std::string prose;
  for (int i = 0; i < 60; ++i) {
    prose += sentence(i);
    prose += " ";
  }
  passages = split_passages(text_document(prose), 300);
  expect_exact_cover(prose, passages, 300);
  for (const Passage& p : passages) EXPECT_TRUE(p.text.ends_with("assistant.")) << p.text;
  EXPECT_EQ(passages.front().location, "line 1");

  // Words without punctuation: passages end at spaces, so words stay whole.
  std::string words;
  for (int i = 0; i < 500; ++i) words += "word ";
  passages = split_passages(text_document(words), 100);
  expect_exact_cover(words, passages, 100);
  for (const Passage& p : passages) {
    EXPECT_TRUE(p.text.starts_with("word") && p.text.ends_with("word")) << p.text;
  }
}

TEST(PassageSplitter, HardCutNeverSplitsUtf8) {
  std::string text;
  for (int i = 0; i < 700; ++i) text += i % 2 == 0 ? "\xE6\x97\xA5" : "\xF0\x9F\x98\x80";  // 日 😀
  for (const std::size_t target : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{100}}) {
    SCOPED_TRACE(target);
    const auto passages = split_passages(text_document(text), target);
    std::string joined;
    for (const Passage& p : passages) {
      EXPECT_TRUE(valid_utf8_boundaries(p.text)) << p.text.size();
      EXPECT_LE(p.text.size(), std::max<std::size_t>(2 * target, 4));
      EXPECT_EQ(p.location, "line 1");
      joined += p.text;
    }
    EXPECT_EQ(joined, text);
  }
}

TEST(PassageSplitter, CsvKeepsRowsWholeAndRepeatsNothing) {
  std::string csv = "id,name,comment\n";
  for (int i = 1; i <= 80; ++i) {
    csv += std::to_string(i);
    csv += ",user";
    csv += std::to_string(i);
    if (i == 41) {
      csv += ",\"a quoted comment\nthat spans two lines, with a \"\"quote\"\"\"\n";
    } else {
      csv += ",a plain comment about row ";
      csv += std::to_string(i);
      csv += "\n";
    }
  }
  for (std::size_t target = 60; target <= 400; target += 10) {
    SCOPED_TRACE(target);
    const auto passages = split_passages(text_document(csv, "csv"), target);
    expect_exact_cover(csv, passages, target);
    std::size_t headers = 0;
    for (const Passage& p : passages) {
      headers += p.text.find("id,name,comment") != std::string::npos ? 1 : 0;
      // Every passage ends at the end of a row.
      EXPECT_TRUE(p.text.ends_with("\"\"quote\"\"\"") ||
                  p.text.substr(p.text.rfind(',') + 1).starts_with("a plain comment about row "))
          << p.text;
      if (p.text.find("a quoted comment") != std::string::npos) {
        EXPECT_NE(p.text.find("that spans two lines"), std::string::npos) << "row 41 kept whole";
      }
    }
    EXPECT_EQ(headers, 1u);
  }

  // The same text as plain text may be cut between the two lines of row 41.
  const auto plain = split_passages(text_document(csv, "text"), 200);
  expect_exact_cover(csv, plain, 200);
}

TEST(PassageSplitter, PdfPassagesStayOnTheirPage) {
  ExtractedDocument doc;
  doc.kind = "pdf";
  std::string long_page;
  for (int i = 0; i < 40; ++i) {
    long_page += sentence(i);
    long_page += "\n";
  }
  doc.pages.push_back(DocumentPage{"Short first page.", 1});
  doc.pages.push_back(DocumentPage{"  \n", 2});
  doc.pages.push_back(DocumentPage{long_page, 3});
  doc.pages.push_back(DocumentPage{"Last words.", 4});
  const auto passages = split_passages(doc, 300);
  ASSERT_GE(passages.size(), 5u);
  EXPECT_EQ(passages.front().location, "page 1");
  EXPECT_EQ(passages.front().text, "Short first page.");
  EXPECT_EQ(passages.back().location, "page 4");
  EXPECT_EQ(passages.back().text, "Last words.");
  std::string page3;
  for (std::size_t i = 1; i + 1 < passages.size(); ++i) {
    EXPECT_EQ(passages[i].location, "page 3");
    EXPECT_LE(passages[i].text.size(), 600u);
    page3 += passages[i].text;
    page3 += "\n";
  }
  EXPECT_EQ(page3, long_page);
}

TEST(PassageSplitter, IsDeterministic) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += sentence(i * 7919 % 1000);
    text += i % 5 == 0 ? "\n\n" : " ";
  }
  const auto a = split_passages(text_document(text), 250);
  const auto b = split_passages(text_document(text), 250);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].location, b[i].location);
  }
}

}  // namespace
}  // namespace parley::server
