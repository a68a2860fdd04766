// jobfit tailoring checklist: each suggested change with its score impact; the button tailors
// the CV with the ticked ones. Requests for the user's own words ("prompts") are no checkboxes:
// each shows how to reply in the chat and is never sent. Props: ui/web.py tailor_options_props.
import { useState } from "react";

export default function TailorOptions() {
  const job = props.job || {};
  const options = (props.options || []).filter((o) => o.action !== "show_in_role");
  const prompts = props.prompts || [];
  const [picked, setPicked] = useState(
    Object.fromEntries(options.map((o) => [o.id, o.default !== false])));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(!!props.done);
  const chosen = options.filter((o) => picked[o.id]).map((o) => o.id);
  const go = async () => {
    setBusy(true);
    try {
      await callAction({ name: "jf_tailor_apply", payload: { job_ref: String(job.ref ?? job.job_id), options: chosen } });
      setDone(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="jf-card" data-testid="tailor-options">
      <div className="jf-title">Tailor your CV for {job.title}{job.company ? ` at ${job.company}` : ""}</div>
      <div className="jf-sub" style={{ marginBottom: 8 }}>
        Tick the changes to make. Nothing is invented: each change only rephrases or reorders what
        your CV already says.
      </div>
      {options.length === 0 && prompts.length === 0 ? <div className="jf-sub">Your CV already covers this job well: nothing to change.</div> : null}
      {options.map((o) => (
        <label key={o.id} className="jf-option" data-testid="tailor-option">
          <input type="checkbox" checked={!!picked[o.id]} disabled={done}
                 onChange={() => setPicked({ ...picked, [o.id]: !picked[o.id] })} />
          <span className="jf-col">
            <span>
              {o.label}{" "}
              {o.impact > 0 ? <span className="jf-impact">+{o.impact} pts</span> : null}
            </span>
            {o.measured ? <span className="jf-measured" data-testid="tailor-measured">{o.measured}</span> : null}
            {o.detail ? <span className="jf-sub">{o.detail}</span> : null}
          </span>
        </label>
      ))}
      {prompts.length > 0 ? (
        <div className="jf-prompts" data-testid="tailor-prompts" style={{ marginTop: 8 }}>
          <div className="jf-sub">To show these, I need your own words (added as you write them):</div>
          {prompts.map((p) => (
            <div key={p.id} className="jf-prompt" data-testid="tailor-prompt" style={{ margin: "6px 0" }}>
              <div>{p.label}</div>
              <code className="jf-reply" data-testid="tailor-prompt-reply">{p.prompt}</code>
            </div>
          ))}
        </div>
      ) : null}
      {options.length > 0 ? <div className="jf-actions">
        <button className="jf-btn jf-btn-primary" disabled={busy || done || chosen.length === 0}
                onClick={go} data-testid="tailor-apply">
          {busy ? "Tailoring…" : done ? "Tailored ✓" : `Tailor my CV (${chosen.length})`}
        </button>
      </div> : null}
    </div>
  );
}
