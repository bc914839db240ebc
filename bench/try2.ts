import { measureSlack } from './slack-scenario';
void (async () => {
  const t = Date.now();
  console.log(JSON.stringify(await measureSlack(50)));
  console.log(Date.now() - t);
})();
