// A draft program document in: a JSON file or pasted text, read as JSON here (a typo is named before
// anything is sent) and kept by HQ with every problem it finds. With `draftId` it replaces that draft.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { programEndpoints, type ProgramDraft } from '../../../src-shared/console/program.js';
import { Field } from '../../components/field.js';
import { useConsoleWrite } from '../../components/use-console-write.js';

export function DraftUpload({
  draftId,
  initial = '',
  onSaved,
}: {
  draftId?: number;
  initial?: string;
  onSaved: (draft: ProgramDraft) => void;
}) {
  const [text, setText] = useState(initial);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const write = useConsoleWrite();

  const readFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    // Any JSON value: HQ says what is wrong with one that is not a program.
    let document: object | string | number | boolean | null;
    try {
      document = JSON.parse(text) as object | string | number | boolean | null;
    } catch (error) {
      setJsonError(`This is not JSON: ${(error as Error).message}`);
      return;
    }
    setJsonError(null);
    const saved =
      draftId === undefined
        ? await write.run(programEndpoints.createProgramDraft, { body: { document } })
        : await write.run(programEndpoints.replaceProgramDraft, {
            params: { id: draftId },
            body: { document },
          });
    if (saved) onSaved(saved);
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <Field label="Program file (JSON)" hint="Or paste the document below.">
        {(control) => (
          <input
            {...control}
            type="file"
            accept="application/json,.json"
            onChange={(e) => void readFile(e)}
          />
        )}
      </Field>
      <Field label="Program document" error={jsonError}>
        {(control) => (
          <textarea
            {...control}
            name="document"
            rows={14}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      {write.error && (
        <p className="form-error" role="alert">
          {write.error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={write.busy || text.trim() === ''}>
          {draftId === undefined ? 'Upload draft' : 'Save the fixed draft'}
        </button>
      </div>
    </form>
  );
}
