// "did you mean ...?" for misspelt keys, names and ids (ccache, git).
#pragma once
#include <string>
#include <vector>

namespace fleetpack {

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo; else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
/// Up to `n` candidates, closest first (ties in input order).
std::vector<std::string> closest_matches(const std::string& word, const std::vector<std::string>& candidates,
                                         size_t n);
/// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace fleetpack
