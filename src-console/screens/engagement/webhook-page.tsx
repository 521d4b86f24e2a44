// The messaging tool's webhook (admin): where HQ posts re-engagement batches and the secret it signs them
// with. The secret is shown once, when HQ makes it (the first time, or when asked for a new one); after that
// only its hint, so the admin can tell which secret the tool should hold. The receiver's recipe is here too.
import { useState, type FormEvent } from 'react';
import { engagementEndpoints } from '../../../src-shared/console/engagement.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Field, TextField } from '../../components/field.js';
import { formatDateTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';

export function WebhookPage() {
  const webhook = useConsoleQuery(engagementEndpoints.getWebhook, {}, []);
  const [url, setUrl] = useState<string | null>(null);
  const [rotate, setRotate] = useState(false);
  const [reason, setReason] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [removing, setRemoving] = useState(false);
  const write = useConsoleWrite();
  const current = webhook.data?.webhook ?? null;
  const shownUrl = url ?? current?.url ?? '';

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaved(false);
    setSecret(null);
    const answer = await write.run(engagementEndpoints.setWebhook, {
      body: {
        url: shownUrl.trim(),
        rotateSecret: rotate,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      },
    });
    if (answer) {
      setSecret(answer.secret);
      setSaved(true);
      setRotate(false);
      setUrl(null);
      webhook.reload();
    }
  };
  const remove = async (): Promise<void> => {
    const answer = await write.run(engagementEndpoints.removeWebhook, {});
    if (answer) {
      setRemoving(false);
      setSecret(null);
      setUrl(null);
      webhook.reload();
    }
  };

  return (
    <>
      <PageHeader
        title="Messaging tool"
        description="Where HQ sends re-engagement segments: the chain’s messaging tool’s webhook and the secret each batch is signed with."
      />
      <Loaded query={webhook}>
        {() => (
          <section className="card" aria-labelledby="webhook-title">
            <h2 id="webhook-title">Webhook</h2>
            {current ? (
              <dl>
                <dt>URL</dt>
                <dd>
                  <code>{current.url}</code>
                </dd>
                <dt>Signing secret</dt>
                <dd>
                  <code>{current.secretHint}</code> (its hint; the secret itself was shown once)
                </dd>
                <dt>Last set</dt>
                <dd>
                  {formatDateTime(current.updatedAt)} by {current.updatedBy}
                </dd>
              </dl>
            ) : (
              <p>No messaging tool is set: segments cannot be sent yet.</p>
            )}
            <form className="form" onSubmit={(event) => void submit(event)} noValidate>
              {write.error && (
                <p className="form-error" role="alert">
                  {write.error}
                </p>
              )}
              {saved && (
                <p className="notice" role="status">
                  Saved.
                </p>
              )}
              <TextField
                label="Webhook URL"
                type="text"
                value={shownUrl}
                onChange={setUrl}
                hint="https://… (http:// only for this machine)"
                error={write.problems.url}
              />
              {current && (
                <Field label="Make a new signing secret">
                  {(control) => (
                    <input
                      {...control}
                      type="checkbox"
                      checked={rotate}
                      onChange={(event) => setRotate(event.target.checked)}
                    />
                  )}
                </Field>
              )}
              <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={write.busy}>
                  {current ? 'Save' : 'Set the webhook'}
                </button>
                {current && (
                  <button type="button" className="button button-danger" onClick={() => setRemoving(true)}>
                    Remove
                  </button>
                )}
              </div>
            </form>
            {secret && (
              <div className="notice" role="status">
                <p className="figure-label">Signing secret</p>
                <p className="figure-value">
                  <code data-testid="webhook-secret">{secret}</code>
                </p>
                <p className="field-hint">
                  Shown this once: copy it into the messaging tool now. HQ keeps it to sign with and never
                  shows it again.
                </p>
              </div>
            )}
          </section>
        )}
      </Loaded>
      <section className="card" aria-labelledby="recipe-title">
        <h2 id="recipe-title">What the messaging tool receives</h2>
        <p>
          Each batch is a POST of JSON (<code>deliveryId</code>, <code>batch</code>, <code>batches</code>,{' '}
          <code>segment</code>, <code>members</code>) with these headers:
        </p>
        <ul>
          <li>
            <code>Loyalty-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</code>, the HMAC keyed
            with the secret over the timestamp, a dot and the raw body. Check it in constant time and refuse a
            timestamp more than 5 minutes from your clock.
          </li>
          <li>
            <code>Idempotency-Key: &lt;delivery id&gt;:&lt;batch number&gt;</code>: keep the first batch with
            a key, and answer 2xx to a repeat without acting on it again.
          </li>
        </ul>
        <p>
          Any answer other than 2xx (or none within 10 seconds) is tried again later, waiting longer each
          time, up to 8 attempts.
        </p>
      </section>
      <ConfirmDialog
        open={removing}
        title="Remove the messaging tool?"
        confirmLabel="Remove"
        danger
        busy={write.busy}
        error={write.error}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(false)}
      >
        <p>
          Its URL and secret are deleted. Deliveries under way fail their next attempts until one is set
          again.
        </p>
      </ConfirmDialog>
    </>
  );
}
