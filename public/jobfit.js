// jobfit: warm the browser cache with the cards' code (served with max-age), so a score card
// or job list renders at once instead of fetching its code from a server busy with the answer.
["ScoreCard", "JobList", "GapList", "TailorOptions", "CandidateCompare", "CandidateList", "Applications"].forEach((name) => {
  fetch(`/public/elements/${name}.jsx`, { credentials: "include" }).catch(() => {});
});

// jobfit: a new chat's address becomes /thread/<id> once its first message is saved (the
// server says so with a window message, ui/app.py announce_thread), so a browser reload
// resumes this conversation instead of opening an empty chat. Only the address changes
// (history.replaceState): the live chat is untouched, and "New chat" still goes to "/".
window.addEventListener("message", (event) => {
  const data = event.data;
  if (event.source !== window || event.origin !== window.location.origin) return;
  if (!data || data.jobfit !== "thread" || typeof data.threadId !== "string") return;
  if (!/^[0-9a-f-]{36}$/i.test(data.threadId)) return;
  if (window.location.pathname !== "/") return; // already on a thread (or another page)
  window.history.replaceState(window.history.state, "", `/thread/${data.threadId}`);
});
