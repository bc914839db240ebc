import { measureResponsiveness } from './responsiveness';
import { percentile } from './stats';
void (async () => {
  const t = Date.now();
  const m = await measureResponsiveness(Number(process.argv[2] ?? 400), 2000);
  const p = (xs: number[]) => [50, 95, 99].map((q) => percentile(xs, q).toFixed(1));
  console.log(JSON.stringify({ ...m, timings: undefined }));
  console.log('ack', p(m.timings.map((x) => x.ackMs)), 'beyond', p(m.timings.map((x) => x.beyondIamMs)), 'answer', p(m.timings.map((x) => x.answerMs)));
  console.log('iamcalls', [...new Set(m.timings.map((x) => x.kind + x.iamCalls))]);
  console.log(Date.now() - t);
  process.exit(0);
})();
