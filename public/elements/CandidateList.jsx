// jobfit candidate ranking (recruiters): the pool ranked for one job — score, strongest reason,
// biggest gap, must-haves, confidence, ties — with Open, Shortlist, Interview and Reject on each
// row. Blind: anonymous labels until a candidate is opened. Props: ui/recruiter_web.py
// candidate_list_props.
import { useState } from "react";

const DONE = { shortlist: "Shortlisted", interview: "Interview", reject: "Rejected" };

function Row({ c, jobRef }) {
  const [busy, setBusy] = useState("");
  const [status, setStatus] = useState(c.status || "");
  const [name, setName] = useState("");
  const act = async (name, payload, after) => {
    setBusy(name);
    try {
      const res = await callAction({ name, payload: { candidate: c.cv_id, job_ref: jobRef, ...payload } });
      if (res && res.success !== false && after) after(res);
    } finally {
      setBusy("");
    }
  };
  return (
    <div className="jf-job" data-testid="candidate-row">
      <div className="jf-row jf-between">
        <div className="jf-col">
          <div style={{ fontWeight: 600 }} data-testid="candidate-row-label">
            {c.rank}. {name || c.label}
            {c.tie ? <span className="jf-sub"> · {c.tie}</span> : null}
          </div>
          <div className="jf-sub">{c.strongest}</div>
          <div className="jf-sub">Gap: {c.gap || "none"} · must-haves {c.must}
            {c.confidence === null ? "" : ` · confidence ${c.confidence}%`}</div>
        </div>
        <span className={`jf-badge jf-${c.band} jf-bg-${c.band}`}>{c.score} · {c.grade}</span>
      </div>
      <div className="jf-actions">
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_cand_open", {}, (r) => setName(r.name || ""))}>Open</button>
        {jobRef ? ["shortlist", "interview", "reject"].map((s) => (
          <button key={s} className={s === "shortlist" ? "jf-btn jf-btn-primary" : "jf-btn"} disabled={!!busy}
            onClick={() => act("jf_cand_decide", { status: s }, () => setStatus(s))}>
            {s[0].toUpperCase() + s.slice(1)}
          </button>
        )) : null}
        {DONE[status] || status ? <span className="jf-done">✓ {DONE[status] || status}</span> : null}
      </div>
    </div>
  );
}

export default function CandidateList() {
  const cands = props.candidates || [];
  return (
    <div className="jf-card" data-testid="candidate-list">
      <div className="jf-title">Candidates for {props.title}</div>
      <div className="jf-sub">{props.pool_size} in your pool{props.blind ? " · blind screening: open a candidate to see who they are" : ""}</div>
      {cands.map((c) => <Row key={c.cv_id} c={c} jobRef={props.job_ref} />)}
    </div>
  );
}
