// Draws a query plan (the router's extensions.queryPlanTree) as a tree: Sequence and Parallel as groups, Flatten with
// its path, Condition with its branches, and each Fetch as a card with its subgraph, its time on the request's
// timeline, its batch size and whether it joined an identical call in flight (extensions.trace); a BatchFetch as one
// card for its one request, listing its parts.

const ms = (value) => (value == null ? '–' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);

const JOINS = {
  ENTITY_FETCH: 'joined an identical entity fetch in flight',
  HTTP_CALL: 'joined an identical HTTP call in flight',
};

export function PlanPanel({ plan }) {
  return (
    <aside className="vx-plan" aria-label="Query plan">
      <header className="vx-plan-header">
        <h2>Query plan</h2>
        {plan.state === 'done' && <Summary plan={plan} />}
      </header>
      <div className="vx-plan-body">
        {plan.state === 'empty' && <p className="vx-hint">Run an operation to see how the router plans and runs it.</p>}
        {plan.state === 'running' && <p className="vx-hint">Running…</p>}
        {(plan.state === 'missing' || plan.state === 'failed') && <p className="vx-hint vx-warn">{plan.message}</p>}
        {plan.state === 'done' && <Plan tree={plan.tree} trace={plan.trace} />}
      </div>
    </aside>
  );
}

function Summary({ plan }) {
  const trace = plan.trace;
  if (!trace) return null;
  const fetches = trace.fetches ?? [];
  const joined = fetches.filter((f) => f.joined).length;
  return (
    <dl className="vx-summary" data-testid="plan-summary">
      <div><dt>router</dt><dd>{ms(trace.durationMs)}</dd></div>
      <div><dt>prepare</dt><dd>{ms(trace.prepare?.durationMs)}</dd></div>
      <div>
        <dt>plan</dt>
        <dd>{ms(trace.plan?.durationMs)} <span className={trace.plan?.cacheHit ? 'vx-badge vx-hit' : 'vx-badge'}>{trace.plan?.cacheHit ? 'cache hit' : 'planned'}</span></dd>
      </div>
      <div><dt>execute</dt><dd>{ms(trace.execute?.durationMs)}</dd></div>
      <div><dt>fetches</dt><dd>{fetches.length}{joined ? ` (${joined} joined)` : ''}</dd></div>
      <div><dt>round trip</dt><dd>{ms(plan.roundTripMs)}</dd></div>
    </dl>
  );
}

function Plan({ tree, trace }) {
  if (!tree.node) return <p className="vx-hint">Nothing to fetch: the router answers this operation itself (introspection, __typename).</p>;
  const byOperation = new Map((trace?.fetches ?? []).map((f) => [f.operationName, f]));
  const execute = trace?.execute;
  const timeline = execute ? { start: execute.startMs, length: Math.max(execute.durationMs, 0.001) } : null;
  return (
    <div className="vx-tree" data-testid="plan-tree">
      <Node node={tree.node} fetches={byOperation} timeline={timeline} />
    </div>
  );
}

function Node({ node, fetches, timeline }) {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return (
        <section className={`vx-node vx-group vx-${node.kind.toLowerCase()}`} data-kind={node.kind}>
          <h3 className="vx-kind">{node.kind}{node.kind === 'Parallel' ? ' ∥' : ' ↓'}</h3>
          <div className="vx-children">
            {node.nodes.map((child, i) => <Node key={i} node={child} fetches={fetches} timeline={timeline} />)}
          </div>
        </section>
      );
    case 'Flatten':
      return (
        <section className="vx-node vx-flatten" data-kind="Flatten">
          <h3 className="vx-kind">Flatten <code>{(node.paths || [node.path]).map(p => p.join('.')).join(', ')}</code></h3>
          <Node node={node.node} fetches={fetches} timeline={timeline} />
        </section>
      );
    case 'Condition':
      return (
        <section className="vx-node vx-condition" data-kind="Condition">
          <h3 className="vx-kind">Condition <code>${node.condition}</code></h3>
          <div className="vx-branch"><span className="vx-branch-label">if true</span>
            {node.ifClause ? <Node node={node.ifClause} fetches={fetches} timeline={timeline} /> : <span className="vx-hint">nothing</span>}
          </div>
          <div className="vx-branch"><span className="vx-branch-label">else</span>
            {node.elseClause ? <Node node={node.elseClause} fetches={fetches} timeline={timeline} /> : <span className="vx-hint">nothing</span>}
          </div>
        </section>
      );
    case 'Fetch':
      return <Fetch node={node} run={fetches.get(node.operationName)} timeline={timeline} />;
    case 'BatchFetch':
      return <Fetch node={node} run={fetches.get(node.operationName)} timeline={timeline} parts={node.parts} />;
    default:
      return <section className="vx-node" data-kind={node.kind}>{node.kind}</section>;
  }
}

// A Fetch, or a BatchFetch (parts given): one request whose aliased _entities fields stand for several entity
// fetches, each with its own path and representations; the request's time and status are the batch's.
function Fetch({ node, run, timeline, parts }) {
  const failed = run?.error;
  return (
    <section className={`vx-node vx-fetch${run ? '' : ' vx-not-run'}${failed ? ' vx-failed' : ''}`} data-kind={parts ? 'BatchFetch' : 'Fetch'}
             data-service={node.serviceName} data-operation={node.operationName}>
      <div className="vx-fetch-head">
        <span className="vx-service" data-testid="fetch-service">{node.serviceName}</span>
        <span className="vx-duration" data-testid="fetch-duration">{run ? ms(run.durationMs) : 'not run'}</span>
      </div>
      {run && timeline && <TimelineBar run={run} timeline={timeline} />}
      <div className="vx-facts">
        <span className="vx-opname">{node.operationName}</span>
        {parts && <span className="vx-badge" data-testid="fetch-batch">
          {`${parts.length} entity fetches in one request${run?.entities != null ? `, ${run.entities} entities` : ''}`}</span>}
        {node.requires && <span className="vx-badge" data-testid="fetch-entities">
          {run?.entities != null ? `batch of ${run.entities} ${node.representationTypename ?? 'entities'}` : 'entities'}</span>}
        {run?.joined && <span className="vx-badge vx-joined" data-testid="fetch-joined" title={JOINS[run.joined]}>joined</span>}
        {run?.status != null && run.status !== 200 && <span className="vx-badge vx-bad">HTTP {run.status}</span>}
        {failed && <span className="vx-badge vx-bad" data-testid="fetch-error">{run.error}</span>}
      </div>
      {parts && <ol className="vx-batch-parts">{parts.map((part, i) => <li key={i}><BatchPart part={part} index={i} /></li>)}</ol>}
      <details className="vx-operation">
        <summary>operation</summary>
        <pre>{node.operation}</pre>
      </details>
    </section>
  );
}

// A part of a batch: the aliased _entities field that asks for it, the path its objects come from, the conditions it
// is asked under (its own Condition nodes) and what it asks of each object. The part's node is the entity fetch it
// stands for, as if sent alone; its operation is not sent, so only its _entities selection is shown, laid out.
function BatchPart({ part, index }) {
  const conditions = [];
  while (part && part.kind === 'Condition') {
    conditions.push(part.ifClause ? `if $${part.condition}` : `unless $${part.condition}`);
    part = part.ifClause ?? part.elseClause;
  }
  const path = part?.kind === 'Flatten' ? (part.paths || [part.path]).map((p) => p.join('.')).join(', ') : '';
  const fetch = part?.node;
  const type = fetch?.representationTypename;
  return (
    <div className="vx-batch-part" data-testid="batch-part" title={fetch?.requires ? `each representation: ${fetch.requires}` : undefined}>
      <div className="vx-batch-part-head">
        <code className="vx-alias" data-testid="batch-part-alias">_e{index}</code>
        <span>at</span><code data-testid="batch-part-path">{path}</code>
        {type && <span>as {type}</span>}
        {conditions.length > 0 && <span className="vx-badge" data-testid="batch-part-conditions">{conditions.join(', ')}</span>}
      </div>
      <pre className="vx-batch-part-operation" data-testid="batch-part-operation">{entitiesSelection(fetch?.operation ?? '')}</pre>
    </div>
  );
}

// What an entity fetch's _entities field selects, inside its braces, one field a line (the router prints it on one
// line); the whole operation when it is not an entity fetch's
function entitiesSelection(operation) {
  const head = '{_entities(representations: $representations) ';
  const start = operation.indexOf(head);
  if (start < 0 || !operation.endsWith('}')) return operation;
  const lines = layOut(operation.slice(start + head.length, -1)).split('\n');
  if (lines.length < 3 || lines[0] !== '{' || lines[lines.length - 1] !== '}') return lines.join('\n');
  return lines.slice(1, -1).map((line) => line.slice(2)).join('\n');
}

// lays out compact GraphQL selection text: a line per field, two spaces an indent; arguments and strings untouched
function layOut(text) {
  let out = '';
  let depth = 0;
  let parens = 0;
  let quoted = false;
  const newline = () => { out = out.trimEnd() + '\n' + '  '.repeat(depth); };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') { quoted = true; out += c; }
    else if (c === '(') { parens++; out += c; }
    else if (c === ')') { parens--; out += c; }
    else if (parens > 0) out += c;
    else if (c === '{') { out = out.trimEnd() + (out.trim() ? ' {' : '{'); depth++; newline(); }
    else if (c === '}') { depth--; newline(); out += '}'; }
    else if (c === ' ') {
      // a space ends a field, but not inside an inline fragment's head (... on T @skip(if: $x)), after an alias's colon
      // or before a directive
      const line = out.slice(out.lastIndexOf('\n') + 1).trim();
      if (!line) continue;
      if (line === '...' || line.startsWith('... ') || out.endsWith(':') || text[i + 1] === '@') out += ' ';
      else newline();
    }
    else out += c;
  }
  return out.trim();
}

function TimelineBar({ run, timeline }) {
  const left = Math.max(0, Math.min(100, ((run.startMs - timeline.start) / timeline.length) * 100));
  const width = Math.max(0.8, Math.min(100 - left, (run.durationMs / timeline.length) * 100));
  return (
    <div className="vx-track" title={`started ${ms(run.startMs - timeline.start)} into execution`}>
      <Bar left={left} width={width} joined={!!run.joined} />
    </div>
  );
}

// widths through a ref, not a style attribute: the page's Content-Security-Policy allows no inline styles
function Bar({ left, width, joined }) {
  return (
    <span className={`vx-bar${joined ? ' vx-bar-joined' : ''}`}
          ref={(el) => { if (el) { el.style.left = `${left}%`; el.style.width = `${width}%`; } }} />
  );
}
