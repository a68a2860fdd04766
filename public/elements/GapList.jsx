// jobfit gaps: what keeps the score down, each with its point impact and a suggestion.
// Props: ui/web.py gaps_props.
export default function GapList() {
  const job = props.job || {};
  const gaps = props.gaps || [];
  const sev = { high: "red", medium: "amber", low: "grey" };
  return (
    <div className="jf-card" data-testid="gap-list">
      <div className="jf-row jf-between">
        <div className="jf-col">
          <div className="jf-title">Gaps for {job.title}</div>
          {job.company ? <div className="jf-sub">{job.company}</div> : null}
        </div>
        {props.score === null || props.score === undefined ? null : (
          <span className={`jf-badge jf-${props.band} jf-bg-${props.band}`}>{props.score}/100</span>
        )}
      </div>
      {gaps.length === 0 ? <div className="jf-section jf-sub">No gaps found.</div> : null}
      <ul className="jf-gaps jf-section">
        {gaps.map((g, i) => (
          <li key={i} style={{ marginBottom: 6 }}>
            <span className={`jf-chip jf-${sev[g.severity] || "grey"} jf-bg-${sev[g.severity] || "grey"}`}>{g.severity}</span>{" "}
            {g.message}{" "}
            {g.impact > 0 ? <span className="jf-impact">+{g.impact} pts</span> : null}
            {g.suggestion ? <div className="jf-sub">{g.suggestion}</div> : null}
          </li>
        ))}
      </ul>
      {props.strengths && props.strengths.length > 0 ? (
        <div className="jf-section">
          <div className="jf-h">Strengths</div>
          <div className="jf-chips">
            {props.strengths.map((s) => <span key={s} className="jf-chip jf-green jf-bg-green">{s}</span>)}
          </div>
        </div>
      ) : null}
    </div>
  );
}
