// jobfit job list: one row per job (title, company, location, remote, salary, score badge) with
// the actions Analyse, Gaps, Tailor, Interested, Applied, Dismiss. Props: ui/web.py job_list_props.
import { useState } from "react";

const STATUS = { interested: "Interested", applied: "Applied", dismissed: "Dismissed" };

function Row({ job }) {
  const [busy, setBusy] = useState("");
  const [status, setStatus] = useState(job.status || "");
  const ref = String(job.ref ?? job.job_id);
  const act = async (name, extra) => {
    setBusy(name);
    try {
      const res = await callAction({ name, payload: { job_ref: ref, ...(extra || {}) } });
      if (extra && extra.status && res && res.success !== false) setStatus(extra.status);
    } finally {
      setBusy("");
    }
  };
  const also = job.also_on && job.also_on.length ? `also on: ${job.also_on.join(", ")}` : "";
  const facts = [job.company, job.location, job.remote, job.salary, also].filter(Boolean).join(" · ");
  if (status === "dismissed") {
    return (
      <div className="jf-job jf-sub" data-testid="job-row">
        {job.position ? `${job.position}. ` : ""}{job.title} — dismissed
      </div>
    );
  }
  return (
    <div className="jf-job" data-testid="job-row">
      <div className="jf-row jf-between">
        <div className="jf-col">
          <div style={{ fontWeight: 600 }}>
            {job.position ? `${job.position}. ` : ""}{job.title}
          </div>
          {facts ? <div className="jf-sub">{facts}</div> : null}
        </div>
        {job.score === null || job.score === undefined ? null : (
          <span className={`jf-badge jf-${job.band} jf-bg-${job.band}`} title={`Fit ${job.score}/100`}>
            {job.score}{job.grade ? ` · ${job.grade}` : ""}
          </span>
        )}
      </div>
      <div className="jf-actions">
        <button className="jf-btn jf-btn-primary" disabled={!!busy} onClick={() => act("jf_analyse")}>Analyse</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_gaps")}>Gaps</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_tailor")}>Tailor</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "interested" })}>Interested</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "applied" })}>Applied</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "dismissed" })}>Dismiss</button>
        {STATUS[status] ? <span className="jf-done">✓ {STATUS[status]}</span> : null}
      </div>
    </div>
  );
}

export default function JobList() {
  const jobs = props.jobs || [];
  return (
    <div className="jf-card" data-testid="job-list">
      <div className="jf-title" style={{ marginBottom: 6 }}>{props.title}</div>
      {jobs.length === 0 ? <div className="jf-sub">No jobs to show.</div> : null}
      {props.note ? <div className="jf-sub" data-testid="hidden-note">{props.note}</div> : null}
      <div className="jf-jobs">
        {jobs.map((j) => <Row key={j.ref ?? j.job_id} job={j} />)}
      </div>
    </div>
  );
}
