// jobfit application pipeline: one column per step (saved → applied → interviewing → offer,
// rejected, withdrawn), each job with the date of its step. Props: ui/pipeline.py.
export default function Applications() {
  const columns = props.columns || [];
  return (
    <div className="jf-card" data-testid="applications">
      <div className="jf-title" style={{ marginBottom: 6 }}>{props.title} ({props.total || 0})</div>
      {columns.length === 0 ? <div className="jf-sub">No applications yet.</div> : null}
      <div className="jf-row" style={{ flexWrap: "wrap", gap: 12, alignItems: "flex-start" }}>
        {columns.map((c) => (
          <div className="jf-col" key={c.status} data-testid="pipeline-step" style={{ minWidth: 180 }}>
            <div style={{ fontWeight: 600 }}>{c.label} · {c.count}</div>
            {c.rows.map((r) => (
              <div className="jf-job" key={r.ref} data-testid="application-row">
                <div>{r.title}</div>
                <div className="jf-sub">
                  {[r.company, `since ${r.since}`, r.applied ? `applied ${r.applied}` : ""]
                    .filter(Boolean).join(" · ")}
                </div>
                {r.note ? <div className="jf-sub">{r.note}</div> : null}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
