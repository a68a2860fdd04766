// jobfit candidate comparison (recruiters): 2-5 candidates side by side for one job — score,
// the five factors, must-haves met, years, strongest reason, biggest gap and where the evidence
// is — with Markdown and CSV downloads. Blind: anonymous labels until a candidate is opened.
// Props: ui/recruiter_web.py candidate_compare_props.
export default function CandidateCompare() {
  const cands = props.candidates || [];
  const factors = props.factors || [];
  const download = (text, name, type) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const cell = (v) => (v === null || v === undefined ? "unknown" : v);
  return (
    <div className="jf-card" data-testid="candidate-compare">
      <div className="jf-title">Candidates for {props.title}</div>
      {props.blind ? (
        <div className="jf-sub" data-testid="blind-note">
          Blind screening: names, contact details, age, gender and addresses are hidden.
        </div>
      ) : null}
      <div style={{ overflowX: "auto" }}>
        <table className="jf-table" style={{ width: "100%", borderCollapse: "collapse" }}>
          <thead>
            <tr>
              <th></th>
              {cands.map((c) => (
                <th key={c.label} data-testid="candidate-label" style={{ textAlign: "left" }}>
                  #{c.rank} {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td className="jf-sub">Score</td>
              {cands.map((c) => (
                <td key={c.label}>
                  <span className={`jf-badge jf-${c.band} jf-bg-${c.band}`}>{c.score} · {c.grade}</span>
                  {c.confidence === null ? null : <span className="jf-sub"> {c.confidence}%</span>}
                </td>
              ))}
            </tr>
            {factors.map((f) => (
              <tr key={f.key}>
                <td className="jf-sub">{f.label}</td>
                {cands.map((c) => (
                  <td key={c.label} className={`jf-${c.bands[f.key]}`}>{cell(c.factors[f.key])}</td>
                ))}
              </tr>
            ))}
            <tr>
              <td className="jf-sub">Must-haves</td>
              {cands.map((c) => (
                <td key={c.label}>
                  {c.must_met}/{c.must_total}
                  {c.missing.length ? <div className="jf-sub">missing {c.missing.join(", ")}</div> : null}
                </td>
              ))}
            </tr>
            <tr>
              <td className="jf-sub">Years</td>
              {cands.map((c) => (
                <td key={c.label}>{c.years === null || c.years === undefined ? "unknown" : c.years}
                  {c.years_from ? <div className="jf-sub">{c.years_from}</div> : null}</td>
              ))}
            </tr>
            <tr>
              <td className="jf-sub">Strongest</td>
              {cands.map((c) => <td key={c.label} className="jf-sub">{c.strongest}</td>)}
            </tr>
            <tr>
              <td className="jf-sub">Biggest gap</td>
              {cands.map((c) => <td key={c.label} className="jf-sub">{c.gap || "none"}</td>)}
            </tr>
            <tr>
              <td className="jf-sub">Evidence</td>
              {cands.map((c) => (
                <td key={c.label}>
                  <ul style={{ margin: 0, paddingLeft: 16 }}>
                    {c.evidence.map((e, i) => <li key={i} className="jf-sub">{e}</li>)}
                  </ul>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <div className="jf-actions">
        <button className="jf-btn" onClick={() => download(props.markdown, "candidates.md", "text/markdown")}>Markdown</button>
        <button className="jf-btn" onClick={() => download(props.csv, "candidates.csv", "text/csv")}>CSV</button>
      </div>
    </div>
  );
}
