// A read-only JSON picture of the client for end-to-end tests (window.parley.state()):
// {connection, user, room, error, entries:[{seq, author, kind, text, status, delivery,
// client_id}]}. Written by hand so the model needs no JSON library in the browser.
#pragma once

#include <string>
#include <string_view>

#include "parley/client_model/app_model.hpp"

namespace parley::client {

std::string snapshot_json(const AppModel& model);

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace parley::client
