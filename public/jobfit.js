// jobfit: warm the browser cache with the cards' code (served with max-age), so a score card
// or job list renders at once instead of fetching its code from a server busy with the answer.
["ScoreCard", "JobList", "GapList", "TailorOptions", "CandidateCompare", "CandidateList", "Applications"].forEach((name) => {
  fetch(`/public/elements/${name}.jsx`, { credentials: "include" }).catch(() => {});
});
