// jobfit score card: overall score, grade and colour band, five sub-scores, skills as chips,
// top gaps with their point impact, and a confidence / unknown factors line.
// Props: see ui/web.py score_card_props. Styles: public/jobfit.css (light and dark themes).
import { useState } from "react";

function Chips({ items, band }) {
  if (!items || items.length === 0) return null;
  return (
    <div className="jf-chips">
      {items.map((s) => (
        <span key={s} className={`jf-chip jf-${band} jf-bg-${band}`}>{s}</span>
      ))}
    </div>
  );
}

export default function ScoreCard() {
  const job = props.job || {};
  const [busy, setBusy] = useState("");
  const act = async (name, extra) => {
    setBusy(name);
    try {
      await callAction({ name, payload: { job_ref: String(job.ref ?? job.job_id), ...(extra || {}) } });
    } finally {
      setBusy("");
    }
  };
  const where = [job.company, job.location, job.remote].filter(Boolean).join(" · ");
  const matched = [...(props.matched || []), ...(props.matched_preferred || [])];
  const missing = [...(props.missing || []), ...(props.missing_preferred || [])];
  return (
    <div className="jf-card" data-testid="score-card">
      <div className="jf-row">
        <div className={`jf-score jf-${props.band} jf-bg-${props.band}`}
             aria-label={`Overall score ${props.score} out of 100`}>
          <span className="jf-score-num" data-testid="overall-score">{props.score}</span>
          <span className="jf-score-grade">{props.grade}</span>
        </div>
        <div className="jf-col">
          <div className="jf-title">{job.title}</div>
          {where ? <div className="jf-sub">{where}</div> : null}
          {job.salary ? <div className="jf-sub">{job.salary}</div> : null}
          <div className={`jf-${props.band}`} style={{ fontWeight: 600 }}>{props.label}</div>
        </div>
      </div>

      <div className="jf-section jf-bars">
        {(props.bars || []).map((b) => (
          <div key={b.key} style={{ display: "contents" }} data-testid="sub-score">
            <span>{b.label}</span>
            <div className="jf-track">
              {b.value === null || b.value === undefined ? null : (
                <div className={`jf-fill jf-fill-${b.band}`} style={{ width: `${b.value}%` }} />
              )}
            </div>
            {b.value === null || b.value === undefined
              ? <span className="jf-bar-value jf-unknown">unknown</span>
              : <span className={`jf-bar-value jf-${b.band}`}
                  title={b.adds === null || b.adds === undefined ? "" : `adds ${b.adds} points to the overall score`}>
                  {b.value}{b.adds === null || b.adds === undefined ? null
                    : <span className="jf-sub" data-testid="contribution"> +{b.adds}</span>}
                </span>}
          </div>
        ))}
      </div>

      {matched.length > 0 ? (
        <div className="jf-section">
          <div className="jf-h">Skills you have</div>
          <Chips items={matched} band="green" />
        </div>
      ) : null}
      {missing.length > 0 ? (
        <div className="jf-section">
          <div className="jf-h">Skills missing</div>
          <Chips items={missing} band="red" />
        </div>
      ) : null}

      {props.gaps && props.gaps.length > 0 ? (
        <div className="jf-section">
          <div className="jf-h">Top gaps</div>
          <ul className="jf-gaps">
            {props.gaps.map((g, i) => (
              <li key={i}>
                {g.message}{" "}
                {g.impact > 0 ? <span className="jf-impact">+{g.impact} pts</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="jf-section jf-sub" data-testid="confidence">
        Confidence {props.confidence === null || props.confidence === undefined ? "unknown" : `${props.confidence}%`}
        {props.unknown && props.unknown.length > 0
          ? ` · unknown: ${props.unknown.join(", ")} (scored neutrally)`
          : " · every factor known"}
      </div>

      {job.ref !== null && job.ref !== undefined ? (
        <div className="jf-actions">
          <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_gaps")}>Gaps</button>
          <button className="jf-btn jf-btn-primary" disabled={!!busy} onClick={() => act("jf_tailor")}>Tailor my CV</button>
          <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "interested" })}>Interested</button>
          <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "applied" })}>Applied</button>
          <button className="jf-btn" disabled={!!busy} onClick={() => act("jf_feedback", { status: "dismissed" })}>Dismiss</button>
        </div>
      ) : null}
    </div>
  );
}
