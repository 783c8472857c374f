// The router's explorer: GraphiQL (editor, schema docs, history) beside a panel that draws the last operation's query
// plan with what its request's trace says of each fetch. Served by the router at / in development mode or when
// explorer.enabled is set (docs/explorer.md); everything comes from the router's own origin.
import { useCallback, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import './explorer.css';
import { PlanPanel } from './PlanPanel.jsx';

const ENDPOINT = '/graphql';
const PLAN_HEADER = 'x-vestibule-query-plan';
// what the router adds to a traced answer's extensions; the result pane shows the rest
const PLAN_EXTENSIONS = ['queryPlan', 'queryPlanTree', 'trace'];

const DEMO_QUERY = `# The demo query: it crosses all five sample subgraphs. Run it (Ctrl-Enter) and the panel on
# the right draws its query plan with each fetch's time, batch size and joined calls.
query TopProducts {
  topProducts(first: 2) {
    name
    price
    inStock
    shippingEstimate(zip: "94110")
    reviews(first: 1) { totalCount edges { node { rating author { username } } } }
    media { __typename title likes }
    seller { displayName }
  }
  me { username }
}
`;

function Explorer() {
  const [plan, setPlan] = useState({ state: 'empty' });
  const started = useRef(0);

  const fetcher = useCallback(async (params, options) => {
    const introspection = params.operationName === 'IntrospectionQuery';
    const headers = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options?.headers ?? {}),
    };
    if (!introspection) {
      // 'true', unless the Headers tab sets it (to the router's explorer.plan_secret, in production)
      if (!Object.keys(headers).some((name) => name.toLowerCase() === PLAN_HEADER)) headers[PLAN_HEADER] = 'true';
      started.current = performance.now();
      setPlan({ state: 'running' });
    }
    let response;
    try {
      response = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'same-origin' });
    } catch (e) {
      if (!introspection) setPlan({ state: 'failed', message: `the router did not answer: ${e.message}` });
      throw e;
    }
    const answer = await response.json();
    if (introspection) return answer;
    const roundTripMs = performance.now() - started.current;
    const extensions = answer.extensions ?? {};
    if (extensions.queryPlanTree) {
      setPlan({ state: 'done', tree: extensions.queryPlanTree, trace: extensions.trace, roundTripMs, status: response.status });
    } else {
      setPlan({
        state: 'missing',
        status: response.status,
        message: answer.errors?.length
          ? 'the request was refused before it was planned: see the errors in the result'
          : 'the router sent no plan: it shows plans in development mode, or with explorer.expose_plans (then, if it has a plan secret, set the x-vestibule-query-plan header to it in the Headers tab)',
      });
    }
    const shown = { ...answer };
    if (answer.extensions) {
      const rest = Object.fromEntries(Object.entries(answer.extensions).filter(([k]) => !PLAN_EXTENSIONS.includes(k)));
      if (Object.keys(rest).length) shown.extensions = rest; else delete shown.extensions;
    }
    return shown;
  }, []);

  return (
    <div className="vx-layout">
      <div className="vx-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEMO_QUERY} shouldPersistHeaders={false}>
          <GraphiQL.Logo>Vestibule</GraphiQL.Logo>
        </GraphiQL>
      </div>
      <PlanPanel plan={plan} />
    </div>
  );
}

createRoot(document.getElementById('explorer')).render(<Explorer />);
