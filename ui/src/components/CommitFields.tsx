// The commits' author and the GitHub account that pushes them, as one group
// of the project form's run settings: kept out of RunSettingsFields so that
// file stays small.

import type { ReactNode } from "react";

import { DEFAULT_AUTHOR_EMAIL, DEFAULT_AUTHOR_NAME } from "../state/draft";
import { FormField } from "./FormField";

type CommitField = "author_name" | "author_email" | "github_account";

interface CommitTextFieldProps {
  idPrefix: string;
  field: CommitField;
  label: string;
  hint: ReactNode;
  errors: Record<string, string>;
  wide?: boolean;
  type?: string;
  className: string;
  placeholder: string;
  value: string;
  onChange: (field: CommitField, value: string) => void;
}

/** One labelled text input of the group, named `run.<field>` like the engine names it. */
function CommitTextField({ idPrefix, field, label, hint, errors, wide, type, className, placeholder, value, onChange }: CommitTextFieldProps) {
  return (
    <FormField idPrefix={idPrefix} wide={wide} field={`run.${field}`} label={label} hint={hint} error={errors[`run.${field}`]}>
      {(control) => (
        <input
          {...control}
          type={type}
          className={className}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(field, e.target.value)}
        />
      )}
    </FormField>
  );
}

interface CommitAuthorFieldsProps {
  idPrefix: string;
  /** As stored or typed. */
  name: string;
  email: string;
  /** The GitHub account whose token pushes; empty: the host's only token. */
  account: string;
  errors: Record<string, string>;
  onChange: (field: CommitField, value: string) => void;
}

/** Who DevTeam's commits are by (their author and committer), and whose GitHub token pushes them. */
export function CommitAuthorFields({ idPrefix, name, email, account, errors, onChange }: CommitAuthorFieldsProps) {
  const common = { idPrefix, errors, onChange };
  return (
    <>
      <CommitTextField
        {...common}
        field="author_name"
        label="Author name"
        hint="Author and committer of every commit DevTeam makes"
        className="input"
        placeholder={DEFAULT_AUTHOR_NAME}
        value={name}
      />
      <CommitTextField
        {...common}
        field="author_email"
        label="Author email"
        hint="The address those commits carry (a no-reply one will do)"
        type="email"
        className="input mono"
        placeholder={DEFAULT_AUTHOR_EMAIL}
        value={email}
      />
      <CommitTextField
        {...common}
        wide
        field="github_account"
        label="GitHub account"
        hint={
          <>
            The account whose token in Settings → Secrets pushes and opens pull requests (<code>github:HOST:ACCOUNT</code>). Empty: the host&apos;s
            only token.
          </>
        }
        className="input mono"
        placeholder="only token for the host"
        value={account}
      />
    </>
  );
}
