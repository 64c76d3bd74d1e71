#pragma once
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which
// g++ 12's headers no longer pull in for it. Include Asio through here.

#include <utility>

#include <boost/asio.hpp>
