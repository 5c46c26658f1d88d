#include "upload_service.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>
#include <vector>

#include "document_text.hpp"
#include "frames.hpp"
#include "log.hpp"
#include "parley/base64.hpp"
#include "parley/error_codes.hpp"
#include "parley/sha256.hpp"
#include "parley/validation.hpp"
#include "passage_splitter.hpp"
#include "room_access.hpp"

namespace parley::server {

namespace codes = parley::error_codes;
namespace fs = std::filesystem;
using namespace parley::protocol;

struct UploadService::Upload {
  std::string user;
  std::string room;
  std::string upload_id;
  std::string file_name;
  std::string media_type;
  std::string kind;
  std::uint64_t size = 0;
  std::uint32_t total = 0;
  std::uint32_t accepted = 0;   // chunks before this were received (perhaps not yet written)
  std::uint32_t confirmed = 0;  // chunks before this are on disk
  std::vector<bool> written;
  bool finishing = false;
  fs::path part;
};

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

fs::path files_dir_of(const ServerConfig& c) {
  if (!c.files_dir.empty()) return c.files_dir;
  const fs::path db(c.db_path);
  return db.has_parent_path() ? db.parent_path() / "files" : fs::path("files");
}

std::uint32_t chunk_bytes_for(const ServerConfig& c) {
  // base64 is 4 bytes per 3; keep 512 bytes for the frame's other fields.
  const std::size_t room = c.max_message_bytes > 1024 ? (c.max_message_bytes - 512) / 4 * 3 : 384;
  return static_cast<std::uint32_t>(std::max<std::size_t>(
      1, std::min<std::size_t>(c.upload_chunk_bytes, room)));
}

bool is_sha256_hex(std::string& s) {
  if (s.size() != 64) return false;
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string sha256_of_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
  }
  return h.hex();
}

}  // namespace

UploadService::UploadService(const ServerConfig& config, HistoryWorker& history, Fanout& fanout,
                             PresenceRegistry& presence)
    : config_(config),
      history_(history),
      fanout_(fanout),
      presence_(presence),
      files_dir_(files_dir_of(config)),
      incoming_dir_(files_dir_ / "incoming"),
      chunk_bytes_(chunk_bytes_for(config)) {
  if (!config.clamd_socket.empty()) scanner_.emplace(config.clamd_socket);
  fs::create_directories(incoming_dir_);
  // Unfinished uploads of an earlier run cannot be resumed: their state was in memory.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(incoming_dir_, ec)) fs::remove(entry.path(), ec);
}

UploadService::~UploadService() = default;

fs::path UploadService::stored_path(const std::string& sha256) const {
  return files_dir_ / sha256.substr(0, 2) / sha256;
}

void UploadService::on_init(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                            const UploadInit& m) {
  auto refuse = [&](const char* code, std::string why) {
    peer->deliver(error_frame(code, std::move(why), m.upload_id));
  };
  if (!presence_.contains(m.room, peer.get())) return refuse(codes::not_joined, "join the room first");
  if (auto v = validation::check_client_id(m.upload_id); !v) {
    return refuse(codes::bad_field, "upload_init.upload_id: 1-64 of A-Z a-z 0-9 _ -");
  }
  if (auto v = validation::check_file_name(m.file_name); !v) return refuse(v.code, v.reason);
  if (m.file_size == 0) return refuse(codes::bad_field, "upload_init.file_size: an empty file");
  if (m.file_size > config_.max_upload_bytes) {
    return refuse(codes::file_too_large, "the file has " + std::to_string(m.file_size) +
                                             " bytes; this server takes up to " +
                                             std::to_string(config_.max_upload_bytes));
  }
  if (m.media_type.size() > 127 || !validation::is_valid_utf8(m.media_type)) {
    return refuse(codes::bad_field, "upload_init.media_type: at most 127 bytes");
  }
  const auto kind = document_kind(m.file_name, m.media_type);
  if (!kind) {
    return refuse(codes::unsupported_type,
                  "this server takes text, Markdown, CSV, JSON, source code and PDF files");
  }
  const auto total = static_cast<std::uint32_t>((m.file_size + chunk_bytes_ - 1) / chunk_bytes_);
  std::shared_ptr<Upload> up;
  {
    std::lock_guard lock(mutex_);
    const Key key{user, m.upload_id};
    if (auto it = uploads_.find(key); it != uploads_.end()) {
      up = it->second;
      if (up->room != m.room || up->file_name != m.file_name || up->size != m.file_size) {
        return refuse(codes::conflict, "upload_id " + m.upload_id + " is another file's upload");
      }
      if (up->finishing) return refuse(codes::bad_field, "the upload is being finished");
      // Resuming: go on from the first chunk not on disk; chunks sent after it are
      // forgotten and come again.
      up->accepted = up->confirmed;
      peer->deliver(frame_of(UploadReady{m.upload_id, up->confirmed, chunk_bytes_, up->total}));
      return;
    }
    const auto open = std::count_if(uploads_.begin(), uploads_.end(),
                                    [&](const auto& u) { return u.first.first == user; });
    if (static_cast<std::size_t>(open) >= kMaxOpenUploads) {
      return refuse(codes::limit_exceeded, "at most " + std::to_string(kMaxOpenUploads) +
                                               " unfinished uploads at a time");
    }
    up = std::make_shared<Upload>();
    up->user = user;
    up->room = m.room;
    up->upload_id = m.upload_id;
    up->file_name = m.file_name;
    up->media_type = m.media_type;
    up->kind = *kind;
    up->size = m.file_size;
    up->total = total;
    up->written.assign(total, false);
    // The part file's name comes from the (user, upload_id) pair, never from the file name.
    up->part = incoming_dir_ / (Sha256::hex_of(user + '\n' + m.upload_id) + ".part");
    uploads_[key] = up;
  }
  files_.post([this, peer, up] {
    std::ofstream(up->part, std::ios::binary | std::ios::trunc);
    peer->deliver(frame_of(UploadReady{up->upload_id, 0, chunk_bytes_, up->total}));
  });
}

void UploadService::on_chunk(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                             const UploadChunk& m) {
  auto refuse = [&](const char* code, std::string why) {
    peer->deliver(error_frame(code, std::move(why), m.upload_id));
  };
  auto bytes = base64_decode(m.data);
  if (!bytes) return refuse(codes::bad_field, "upload_chunk.data: not base64");
  std::shared_ptr<Upload> up;
  {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find({user, m.upload_id});
    if (it == uploads_.end()) {
      return refuse(codes::not_found,
                    "no upload '" + m.upload_id + "' in progress; start it with upload_init");
    }
    up = it->second;
    if (up->finishing) return refuse(codes::bad_field, "the upload is being finished");
    // Membership is checked on every operation: someone removed from the room (or who
    // left it) since upload_init gets no further.
    if (!presence_.contains(up->room, peer.get())) {
      return refuse(codes::not_joined, "join the room first");
    }
    if (m.index >= up->total) {
      return refuse(codes::bad_field,
                    "upload_chunk.index: 0 to " + std::to_string(up->total - 1));
    }
    if (m.index > up->accepted) {
      return refuse(codes::out_of_order, "chunk " + std::to_string(m.index) +
                                             " came before chunk " + std::to_string(up->accepted));
    }
    const std::uint64_t offset = std::uint64_t{m.index} * chunk_bytes_;
    const std::uint64_t expected = std::min<std::uint64_t>(chunk_bytes_, up->size - offset);
    if (bytes->size() != expected) {
      return refuse(codes::bad_field, "upload_chunk.data: chunk " + std::to_string(m.index) +
                                          " holds " + std::to_string(bytes->size()) +
                                          " bytes, not " + std::to_string(expected));
    }
    if (m.index == up->accepted) ++up->accepted;
  }
  files_.post([this, peer, up, index = m.index, bytes = std::move(*bytes)] {
    {
      std::fstream out(up->part, std::ios::binary | std::ios::in | std::ios::out);
      out.seekp(static_cast<std::streamoff>(std::uint64_t{index} * chunk_bytes_));
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) {
        peer->deliver(error_frame(codes::internal, "the chunk could not be written; send it again",
                                  up->upload_id));
        std::lock_guard lock(mutex_);
        up->accepted = std::min(up->accepted, index);
        return;
      }
    }
    UploadProgress progress;
    {
      std::lock_guard lock(mutex_);
      up->written[index] = true;
      while (up->confirmed < up->total && up->written[up->confirmed]) ++up->confirmed;
      progress = {up->upload_id, up->confirmed,
                  std::min<std::uint64_t>(up->size, std::uint64_t{up->confirmed} * chunk_bytes_)};
    }
    peer->deliver(frame_of(progress));
  });
}

void UploadService::on_finish(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                              const UploadFinish& m) {
  auto refuse = [&](const char* code, std::string why) {
    peer->deliver(error_frame(code, std::move(why), m.upload_id));
  };
  std::string sha = m.sha256;
  if (!is_sha256_hex(sha)) return refuse(codes::bad_field, "upload_finish.sha256: 64 hex digits");
  std::shared_ptr<Upload> up;
  {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find({user, m.upload_id});
    if (it == uploads_.end()) {
      return refuse(codes::not_found, "no upload '" + m.upload_id + "' in progress");
    }
    up = it->second;
    if (up->finishing) return refuse(codes::bad_field, "the upload is being finished");
    if (!presence_.contains(up->room, peer.get())) {
      return refuse(codes::not_joined, "join the room first");
    }
    if (up->confirmed < up->total) {
      return refuse(codes::bad_field, "upload_finish: chunk " + std::to_string(up->confirmed) +
                                          " of " + std::to_string(up->total) +
                                          " has not been stored yet");
    }
    up->finishing = true;
  }
  // After every chunk's write (same queue), before anything else touches the file.
  files_.post([this, peer, up, sha] { finish_on_files_thread(peer, up, sha); });
}

void UploadService::forget(const std::shared_ptr<Upload>& up) {
  std::error_code ec;
  fs::remove(up->part, ec);
  std::lock_guard lock(mutex_);
  uploads_.erase({up->user, up->upload_id});
}

void UploadService::finish_on_files_thread(const std::shared_ptr<Subscriber>& peer,
                                           const std::shared_ptr<Upload>& up, std::string sha256) {
  const std::string actual = sha256_of_file(up->part);
  if (actual != sha256) {
    forget(up);
    peer->deliver(error_frame(codes::checksum_mismatch,
                              "the file's SHA-256 is " + actual + ", not " + sha256 +
                                  "; nothing was kept, upload it again",
                              up->upload_id));
    return;
  }
  // Scanning and storing take a while; chunks of other uploads go on meanwhile.
  documents_.post([this, peer, up, sha256] { keep(peer, up, sha256); });
}

void UploadService::keep(const std::shared_ptr<Subscriber>& peer,
                         const std::shared_ptr<Upload>& up, const std::string& sha256) {
  if (scanner_) {
    const ScanResult scan = scanner_->scan(up->part);
    if (scan.outcome != ScanResult::Outcome::clean) {
      forget(up);
      const bool infected = scan.outcome == ScanResult::Outcome::infected;
      peer->deliver(error_frame(
          infected ? codes::infected : codes::scan_failed,
          infected ? "the virus scanner found " + scan.signature + "; the file was deleted"
                   : "the file could not be scanned (" + scan.details + "); nothing was kept",
          up->upload_id));
      if (infected) log_line("upload " + up->upload_id + " by " + up->user + ": " + scan.signature);
      return;
    }
  }
  const fs::path target = stored_path(sha256);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (fs::exists(target, ec)) {
    fs::remove(up->part, ec);  // the same content is kept already
  } else {
    fs::rename(up->part, target, ec);
  }
  if (ec) {
    forget(up);
    peer->deliver(error_frame(codes::internal, "the file could not be kept: " + ec.message(),
                              up->upload_id));
    return;
  }
  {
    std::lock_guard lock(mutex_);
    uploads_.erase({up->user, up->upload_id});
  }
  history::NewDocument d{up->room, up->file_name, up->media_type, up->kind, up->size,
                         sha256,   up->user,      now_ms()};
  history_.post(
      {[this, peer, d, target, upload_id = up->upload_id](
           history::HistoryStore& store) -> HistoryWorker::Continuation {
         // The stored membership decides, as for a send: a removal that came while the
         // file was being checked or scanned still keeps it out of the room.
         if (!store.member_role(d.room, d.uploader)) {
           const bool unused = store.documents().count_with_hash(d.sha256) == 0;
           return [this, peer, unused, sha256 = d.sha256, upload_id] {
             if (unused) remove_files({sha256});
             peer->deliver(error_frame(codes::not_joined,
                                       "you are no longer a member of this room; nothing was kept",
                                       upload_id));
           };
         }
         auto doc = store.documents().add(d);
         if (!doc) {
           return [peer, f = error_frame(codes::not_found, "the room is gone", upload_id)] {
             peer->deliver(f);
           };
         }
         return [this, peer, doc = *doc, target, upload_id] {
           peer->deliver(frame_of(UploadDone{upload_id, doc}));
           fanout_.publish(doc.room, frame_of(DocumentUpdate{doc}));
           documents_.post([this, doc, target] { process(doc, target); });
         };
       },
       [peer, upload_id = up->upload_id](const std::string&) {
         peer->deliver(error_frame(codes::internal, "the document could not be recorded", upload_id));
       }});
}

void UploadService::publish_document(const std::optional<Document>& doc) {
  if (doc) fanout_.publish(doc->room, frame_of(DocumentUpdate{*doc}));
}

void UploadService::process(Document doc, fs::path file) {
  auto store_step = [this](std::function<std::optional<Document>(history::DocumentStore&)> step) {
    history_.post({[this, step](history::HistoryStore& store) -> HistoryWorker::Continuation {
                     auto doc = step(store.documents());
                     return [this, doc] { publish_document(doc); };
                   },
                   [](const std::string& what) { log_line("document processing: " + what); }});
  };
  const ExtractedDocument text = extract_document(file, doc.name, doc.media_type);
  if (!text.ok()) {
    const std::string error = text.error_code + ": " + text.error;
    store_step([id = doc.id, error](history::DocumentStore& docs) { return docs.fail(id, error); });
    return;
  }
  store_step([id = doc.id](history::DocumentStore& docs) { return docs.set_progress(id, 50); });
  std::vector<history::NewPassage> passages;
  for (Passage& p : split_passages(text)) passages.push_back({std::move(p.location), std::move(p.text)});
  store_step([id = doc.id, passages = std::move(passages)](history::DocumentStore& docs) {
    return docs.add_passages(id, passages);
  });
}

void UploadService::on_list(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                            const ListDocuments& m) {
  history_.post({[peer, user, m](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   const auto info = store.find_room(m.room);
                   const auto role = info ? store.member_role(m.room, user) : std::nullopt;
                   if (!info || !access::may_enter(info->type, role)) {
                     return [peer, f = error_frame(codes::not_found,
                                                   "no room '" + m.room + "' that you may see",
                                                   m.room)] { peer->deliver(f); };
                   }
                   return [peer, f = frame_of(DocumentList{m.room, store.documents().list(m.room)})] {
                     peer->deliver(f);
                   };
                 },
                 [peer, room = m.room](const std::string&) {
                   peer->deliver(error_frame(codes::internal, "could not read the documents", room));
                 }});
}

void UploadService::remove_files(const std::vector<std::string>& sha256s) {
  if (sha256s.empty()) return;
  std::vector<fs::path> files;
  for (std::string sha : sha256s) {
    if (is_sha256_hex(sha)) files.push_back(stored_path(sha));
  }
  files_.post([files = std::move(files)] {
    for (const auto& file : files) {
      std::error_code ec;
      fs::remove(file, ec);
    }
  });
}

void UploadService::on_delete(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                              const DeleteDocument& m) {
  history_.post(
      {[this, peer, user, m](history::HistoryStore& store) -> HistoryWorker::Continuation {
         const auto role = store.member_role(m.room, user);
         const auto doc = role ? store.documents().find(m.room, m.document_id) : std::nullopt;
         if (!doc) {
           return [peer, f = error_frame(codes::not_found, "no such document in this room", m.room)] {
             peer->deliver(f);
           };
         }
         // The one who gave it, or the room's owner and admins.
         if (!validation::same_name(doc->uploader, user) && *role == MemberRole::member) {
           return [peer, f = error_frame(codes::forbidden,
                                         "only its uploader or the room's owner or admins may delete it",
                                         m.room)] { peer->deliver(f); };
         }
         store.documents().remove(m.room, m.document_id);
         const bool last_copy = store.documents().count_with_hash(doc->sha256) == 0;
         return [this, m, last_copy, sha256 = doc->sha256] {
           fanout_.publish(m.room, frame_of(DocumentDeleted{m.room, m.document_id}));
           if (last_copy) remove_files({sha256});
         };
       },
       [peer, room = m.room](const std::string&) {
         peer->deliver(error_frame(codes::internal, "could not delete the document", room));
       }});
}

}  // namespace parley::server
