#pragma once
// The Client over gRPC: a unix socket ("unix:/run/tern/tern.sock") or TCP, the bearer token as
// `authorization` metadata, a deadline per call, and refusals carrying the `tern-field`
// trailing metadata.

#include <memory>

#include "ctl/client.hpp"

namespace tern::ctl {

std::unique_ptr<Client> make_grpc_client(const Endpoint& endpoint);

}  // namespace tern::ctl
