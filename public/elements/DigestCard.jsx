// jobfit digest card: new matches (with Analyse / Interested / Dismiss), what changed, skills in
// demand and what to show or learn. Props: ui/digest_web.py digest_card_props.
import { useState } from "react";

function Match({ m }) {
  const [busy, setBusy] = useState("");
  const [done, setDone] = useState("");
  const act = async (name, extra) => {
    setBusy(name);
    try {
      const res = await callAction({ name, payload: { job_ref: String(m.ref), ...(extra || {}) } });
      if (extra && extra.status && res && res.success !== false) setDone(extra.status);
    } finally {
      setBusy("");
    }
  };
  const also = m.also_on && m.also_on.length ? `also on: ${m.also_on.join(", ")}` : "";
  const facts = [m.company, m.location, m.remote, m.salary, also].filter(Boolean).join(" · ");
  return (
    <div className="jf-job" data-testid="digest-match">
      <div className="jf-row jf-between">
        <div className="jf-col">
          <div style={{ fontWeight: 600 }}>{m.title}</div>
          {facts ? <div className="jf-sub">{facts}</div> : null}
          {m.reason ? <div className="jf-sub">Why: {m.reason}</div> : null}
          {m.gap ? <div className="jf-sub">Biggest gap: {m.gap}{m.gap_points ? ` (+${m.gap_points})` : ""}</div> : null}
        </div>
        <span className={`jf-badge jf-${m.band} jf-bg-${m.band}`} title={`Fit ${m.score}/100`}>
          {m.score} · {m.grade}
        </span>
      </div>
      <div className="jf-actions">
        <button className="jf-btn jf-btn-primary" disabled={!!busy} onClick={() => act("jf_analyse")}>Analyse</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "interested" })}>Interested</button>
        <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "dismissed" })}>Dismiss</button>
        {done ? <span className="jf-done">✓ {done}</span> : null}
      </div>
    </div>
  );
}

export default function DigestCard() {
  const matches = props.matches || [];
  const changes = props.changes || [];
  const trends = props.trends || [];
  const show = props.show || [];
  const learn = props.learn || [];
  return (
    <div className="jf-card" data-testid="digest-card">
      <div className="jf-title">Your digest · {props.period}</div>
      <div className="jf-sub" style={{ marginBottom: 8 }}>{props.headline}</div>
      {matches.length ? <div className="jf-jobs">{matches.map((m) => <Match key={m.ref} m={m} />)}</div>
        : <div className="jf-sub">{props.empty_text}</div>}
      {props.more ? <div className="jf-sub">… and {props.more} more: ask “show my best matches”.</div> : null}
      {changes.length ? (
        <div style={{ marginTop: 10 }}>
          <div style={{ fontWeight: 600 }}>What changed</div>
          <ul>{changes.map((c, i) => <li key={i} data-testid="digest-change">{c}</li>)}</ul>
        </div>
      ) : null}
      {trends.length ? (
        <div style={{ marginTop: 10 }}>
          <div style={{ fontWeight: 600 }}>Skills in demand for you</div>
          <div className="jf-sub">{trends.join(" · ")}</div>
        </div>
      ) : null}
      {show.length ? (
        <div style={{ marginTop: 10 }}>
          <div style={{ fontWeight: 600 }}>You may already have it — show it in your CV</div>
          <ul>{show.map((s, i) => <li key={i}>{s}</li>)}</ul>
        </div>
      ) : null}
      {learn.length ? (
        <div style={{ marginTop: 10 }}>
          <div style={{ fontWeight: 600 }}>Worth learning</div>
          <ul>{learn.map((s, i) => <li key={i}>{s}</li>)}</ul>
        </div>
      ) : null}
    </div>
  );
}
