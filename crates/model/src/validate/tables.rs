//! Checks on one table: columns and types, keys, foreign keys, indexes, partitions,
//! row-level security, triggers and seed rows.

use std::collections::HashSet;

use super::{ObjectKind, Validator, split_qualified};
use crate::diag::Diagnostic;
use crate::load::{escape_pointer, pointer};
use crate::partitions;
use crate::types::SqlType;
use crate::{IndexMethod, PartitionBy, Table};

/// Names of the partitions a table's `partitions` block creates.
pub fn partition_names(table_name: &str, table: &Table) -> Vec<String> {
    partitions::expand(table_name, table)
        .map(|parts| parts.into_iter().map(|p| p.name).collect())
        .unwrap_or_default()
}

/// Operator classes pgvector offers for HNSW and IVFFlat, by the column type they fit.
const VECTOR_OPCLASSES: &[(&str, &str)] = &[
    ("vector_l2_ops", "vector"),
    ("vector_ip_ops", "vector"),
    ("vector_cosine_ops", "vector"),
    ("vector_l1_ops", "vector"),
    ("halfvec_l2_ops", "halfvec"),
    ("halfvec_ip_ops", "halfvec"),
    ("halfvec_cosine_ops", "halfvec"),
    ("halfvec_l1_ops", "halfvec"),
    ("sparsevec_l2_ops", "sparsevec"),
    ("sparsevec_ip_ops", "sparsevec"),
    ("sparsevec_cosine_ops", "sparsevec"),
    ("sparsevec_l1_ops", "sparsevec"),
    ("bit_hamming_ops", "bit"),
    ("bit_jaccard_ops", "bit"),
];

/// pgvector indexes `vector` columns of at most this many dimensions.
const VECTOR_INDEX_MAX_DIM: u32 = 2000;

impl Validator<'_> {
    pub(super) fn table(&mut self, schema_name: &str, table_name: &str, table: &Table) {
        let at = pointer(["schemas", schema_name, "tables", table_name]);
        self.identifier(&at, table_name, true);
        let mut types = std::collections::HashMap::new();
        let mut pk_columns: Vec<&str> = Vec::new();
        for (column_name, column) in &table.columns {
            let col_at = format!("{at}/columns/{column_name}");
            self.identifier(&col_at, column_name, true);
            if let Some(ty) =
                self.type_ref(&format!("{col_at}/type"), schema_name, &column.ty, true)
            {
                if column.identity.is_some()
                    && !matches!(ty, SqlType::SmallInt | SqlType::Integer | SqlType::BigInt)
                {
                    self.error(
                        Diagnostic::new(
                            format!("{col_at}/identity"),
                            format!(
                                "identity column `{table_name}.{column_name}` has type `{}`",
                                column.ty
                            ),
                        )
                        .with_hint("identity columns are smallint, integer or bigint"),
                    );
                }
                // Index checks look at what the values are: a domain's base type.
                types.insert(column_name.as_str(), self.model.base_type(schema_name, &ty));
            }
            self.identity_options(&col_at, schema_name, table_name, column_name, column);
            if let (Some(old), Some(using)) = (&column.renamed_from, &column.using)
                && !table.columns.contains_key(old)
                && names_identifier(using, old)
            {
                self.error(
                    Diagnostic::new(
                        format!("{col_at}/using"),
                        format!(
                            "`using` of `{table_name}.{column_name}` names `{old}`, the column's old name"
                        ),
                    )
                    .with_hint(format!(
                        "the conversion runs after the rename: write `{column_name}` for the old value"
                    )),
                );
            }
            if column.generated.is_some() && column.default.is_some() {
                self.error(Diagnostic::at_key(
                    format!("{col_at}/default"),
                    format!("column `{table_name}.{column_name}` is generated and also has a default"),
                ).with_hint("a generated column computes its value; remove `default`"));
            }
            if column.identity.is_some() && (column.default.is_some() || column.generated.is_some())
            {
                self.error(Diagnostic::at_key(
                    format!("{col_at}/identity"),
                    format!("identity column `{table_name}.{column_name}` cannot have a default or generation expression"),
                ));
            }
            if column.primary_key {
                pk_columns.push(column_name);
            }
            if let Some(reference) = &column.references {
                let target_schema = reference.schema.as_deref().unwrap_or(schema_name);
                let target = format!("{target_schema}.{}", reference.table);
                let columns: Vec<(String, String)> = reference
                    .column
                    .iter()
                    .map(|c| (c.clone(), format!("{col_at}/references/column")))
                    .collect();
                self.foreign_key(
                    &format!("{col_at}/references"),
                    (schema_name, table_name, table),
                    std::slice::from_ref(column_name),
                    &target,
                    &columns,
                );
            }
        }
        if pk_columns.len() > 1 {
            self.error(
                Diagnostic::at_key(
                    format!("{at}/columns/{}/primary_key", pk_columns[1]),
                    format!(
                        "table `{schema_name}.{table_name}` marks {} columns `primary_key: true`",
                        pk_columns.len()
                    ),
                )
                .with_hint(format!(
                    "for a composite key write `primary_key: [{}]` on the table",
                    pk_columns.join(", ")
                )),
            );
        }
        if !pk_columns.is_empty() && !table.primary_key.is_empty() {
            self.error(
                Diagnostic::at_key(
                    format!("{at}/primary_key"),
                    format!("table `{schema_name}.{table_name}` declares its primary key twice"),
                )
                .with_hint("use either `primary_key: true` on one column or the table's `primary_key` list"),
            );
        }
        self.column_list(
            &format!("{at}/primary_key"),
            table_name,
            table,
            &table.primary_key,
        );
        self.key_index(&at, schema_name, table_name, table, &pk_columns);
        for (name, unique) in &table.unique {
            self.identifier(&format!("{at}/unique/{name}"), name, true);
            self.column_list(
                &format!("{at}/unique/{name}"),
                table_name,
                table,
                unique.columns(),
            );
            self.column_list(
                &format!("{at}/unique/{name}/include"),
                table_name,
                table,
                unique.include(),
            );
        }
        for (name, _) in &table.checks {
            self.identifier(&format!("{at}/checks/{name}"), name, true);
        }
        for (name, fk) in &table.foreign_keys {
            let fk_at = format!("{at}/foreign_keys/{name}");
            self.identifier(&fk_at, name, true);
            self.column_list(&format!("{fk_at}/columns"), table_name, table, &fk.columns);
            let (s, t) = split_qualified(&fk.references, schema_name);
            self.foreign_key(
                &format!("{fk_at}/references"),
                (schema_name, table_name, table),
                &fk.columns,
                &format!("{s}.{t}"),
                &fk.referenced_columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.clone(), format!("{fk_at}/referenced_columns/{i}")))
                    .collect::<Vec<_>>(),
            );
        }
        for (name, index) in &table.indexes {
            let index_at = format!("{at}/indexes/{name}");
            self.identifier(&index_at, name, true);
            for (i, key) in index.columns.iter().enumerate() {
                let key_at = format!("{index_at}/columns/{i}");
                let spec = key.spec();
                match (&spec.column, &spec.expression) {
                    (Some(_), Some(_)) | (None, None) => self.error(Diagnostic::new(
                        key_at.clone(),
                        format!("index `{name}`: give exactly one of `column` and `expression`"),
                    )),
                    (Some(column), None) => {
                        if !table.columns.contains_key(column) {
                            self.unknown_column(&key_at, table_name, table, column);
                        } else if matches!(index.using, IndexMethod::Hnsw | IndexMethod::Ivfflat) {
                            self.vector_index_key(
                                &key_at,
                                name,
                                index.using,
                                column,
                                spec.opclass.as_deref(),
                                types.get(column.as_str()),
                            );
                        }
                    }
                    (None, Some(_)) => {}
                }
            }
            self.column_list(
                &format!("{index_at}/include"),
                table_name,
                table,
                &index.include,
            );
        }
        self.partitioning(&at, schema_name, table_name, table);
        if let Some(rls) = &table.row_level_security {
            for (name, policy) in &rls.policies {
                let policy_at = format!("{at}/row_level_security/policies/{name}");
                self.identifier(&policy_at, name, true);
                for (i, role) in policy.to.iter().enumerate() {
                    self.role_ref(&format!("{policy_at}/to/{i}"), role);
                }
                if policy.using.is_none() && policy.with_check.is_none() {
                    self.error(
                        Diagnostic::at_key(
                            policy_at,
                            format!("policy `{name}` has neither `using` nor `with_check`"),
                        )
                        .with_hint("write `using: \"true\"` to allow every row explicitly"),
                    );
                }
            }
        }
        for (name, trigger) in &table.triggers {
            let trigger_at = format!("{at}/triggers/{name}");
            self.identifier(&trigger_at, name, true);
            self.column_list(
                &format!("{trigger_at}/update_of"),
                table_name,
                table,
                &trigger.update_of,
            );
            if self.model.database.target != crate::Target::Postgres {
                // SQLite triggers carry their statements; `sqlite.rs` checks them. DuckDB
                // has no triggers: `duckdb.rs` refuses them.
                continue;
            }
            if trigger.body.is_some() {
                self.error(
                    Diagnostic::new(
                        format!("{trigger_at}/body"),
                        format!("trigger `{name}` has a `body`, which only SQLite triggers take"),
                    )
                    .with_hint("a PostgreSQL trigger calls a function: write `function: NAME`"),
                );
            }
            let Some(function) = trigger.function.as_deref() else {
                self.error(
                    Diagnostic::new(
                        trigger_at.clone(),
                        format!("trigger `{name}` names no `function`"),
                    )
                    .with_hint("declare the function under `functions` with `returns: trigger`"),
                );
                continue;
            };
            let (fs, fname) = split_qualified(function, schema_name);
            match self
                .model
                .schemas
                .get(fs)
                .and_then(|s| s.functions.get(fname))
                .map(|list| list.iter().find(|f| f.args.is_empty()))
            {
                None => self.error(
                    Diagnostic::new(
                        format!("{trigger_at}/function"),
                        format!(
                            "trigger `{name}` calls `{fs}.{fname}`, which the model does not define"
                        ),
                    )
                    .with_hint("declare the function under `functions` with `returns: trigger`"),
                ),
                Some(None) => self.error(
                    Diagnostic::new(
                        format!("{trigger_at}/function"),
                        format!(
                            "trigger `{name}` calls `{fs}.{fname}`, which has no overload \
                             without arguments"
                        ),
                    )
                    .with_hint("a trigger function takes no arguments: pass values in `args`"),
                ),
                Some(Some(f)) if !f.returns.trim().eq_ignore_ascii_case("trigger") => self.error(
                    Diagnostic::new(
                        format!("{trigger_at}/function"),
                        format!(
                            "trigger `{name}` calls `{fs}.{fname}`, which returns `{}`",
                            f.returns
                        ),
                    )
                    .with_hint("a trigger function has `returns: trigger`"),
                ),
                Some(Some(_)) => {}
            }
        }
        self.grants(&format!("{at}/grants"), &table.grants, ObjectKind::Table);
        for (i, grant) in table.grants.iter().enumerate() {
            self.column_list(
                &format!("{at}/grants/{i}/columns"),
                table_name,
                table,
                &grant.columns,
            );
        }
        if let Some(seed) = &table.seed {
            self.column_list(&format!("{at}/seed/key"), table_name, table, &seed.key);
            for (i, row) in seed.rows.iter().enumerate() {
                for column in row.keys() {
                    if !table.columns.contains_key(column) {
                        self.unknown_column(
                            &format!("{at}/seed/rows/{i}/{column}"),
                            table_name,
                            table,
                            column,
                        );
                    } else if table.columns[column].generated.is_some() {
                        self.error(
                            Diagnostic::at_key(
                                format!("{at}/seed/rows/{i}/{column}"),
                                format!("seed row sets generated column `{table_name}.{column}`"),
                            )
                            .with_hint("generated columns are computed; leave them out"),
                        );
                    }
                }
            }
        }
    }

    fn vector_index_key(
        &mut self,
        at: &str,
        index: &str,
        method: IndexMethod,
        column: &str,
        opclass: Option<&str>,
        ty: Option<&SqlType>,
    ) {
        let method_name = method.sql();
        let Some(opclass) = opclass else {
            self.error(
                Diagnostic::new(at, format!("{method_name} index `{index}` needs an operator class for `{column}`"))
                    .with_hint("write `{ column: …, opclass: vector_cosine_ops }` (or vector_l2_ops, vector_ip_ops)"),
            );
            return;
        };
        let Some(ty) = ty else { return };
        let fits = VECTOR_OPCLASSES.iter().find(|(name, _)| *name == opclass);
        let type_name = match ty {
            SqlType::Vector(_) => "vector",
            SqlType::Named { name, .. } => name.as_str(),
            _ => "",
        };
        match fits {
            None => {
                let near = VECTOR_OPCLASSES
                    .iter()
                    .map(|(name, _)| (strsim::damerau_levenshtein(name, opclass), *name))
                    .filter(|(distance, _)| *distance <= 4)
                    .min_by_key(|(distance, _)| *distance);
                let hint = match near {
                    Some((_, name)) => format!("did you mean `{name}`?"),
                    None => "for a vector column use vector_l2_ops, vector_ip_ops, vector_cosine_ops or vector_l1_ops".to_string(),
                };
                self.error(
                    Diagnostic::new(format!("{at}/opclass"), format!("`{opclass}` is not an operator class of {method_name}"))
                        .with_hint(hint),
                );
            }
            Some((_, wanted)) if *wanted != type_name => self.error(
                Diagnostic::new(
                    format!("{at}/opclass"),
                    format!("operator class `{opclass}` is for {wanted} columns, but `{column}` is `{ty}`"),
                )
                .with_hint(format!("{method_name} indexes only vector, halfvec, sparsevec and bit columns; index `{column}` with btree, gin or gist instead")),
            ),
            Some(_) => {
                if let SqlType::Vector(dim) = ty
                    && *dim > VECTOR_INDEX_MAX_DIM
                {
                    self.error(Diagnostic::new(
                        at,
                        format!("{method_name} index `{index}` on `{column}` ({ty}): pgvector indexes at most {VECTOR_INDEX_MAX_DIM} dimensions"),
                    ).with_hint("use halfvec (up to 4000) or reduce the dimension"));
                }
            }
        }
    }

    fn partitioning(&mut self, at: &str, schema_name: &str, table_name: &str, table: &Table) {
        let Some(by) = &table.partition_by else {
            if table.partitions.is_some() {
                self.error(
                    Diagnostic::at_key(format!("{at}/partitions"), format!("table `{schema_name}.{table_name}` lists partitions but has no `partition_by`"))
                        .with_hint("add `partition_by: { range: [column] }` (or list, hash)"),
                );
            }
            return;
        };
        let key_at = format!("{at}/partition_by/{}", by.strategy().to_ascii_lowercase());
        self.column_list(&key_at, table_name, table, by.columns());
        let key: HashSet<&str> = by.columns().iter().map(String::as_str).collect();
        let pk_columns = table.primary_key_columns();
        let pk: Vec<&str> = pk_columns.iter().map(String::as_str).collect();
        if !pk.is_empty() {
            let missing: Vec<&str> = by
                .columns()
                .iter()
                .map(String::as_str)
                .filter(|c| !pk.contains(c))
                .collect();
            if !missing.is_empty() {
                let pk_at = if table.primary_key.is_empty() {
                    let first = pk[0];
                    format!("{at}/columns/{first}/primary_key")
                } else {
                    format!("{at}/primary_key")
                };
                let mut full: Vec<&str> = pk.clone();
                full.extend(missing.iter());
                self.error(
                    Diagnostic::at_key(
                        pk_at,
                        format!(
                            "the primary key of partitioned table `{schema_name}.{table_name}` ({}) lacks the partition key column{} {}",
                            pk.join(", "),
                            if missing.len() == 1 { "" } else { "s" },
                            missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .with_hint(format!("PostgreSQL requires it: write `primary_key: [{}]`", full.join(", "))),
                );
            }
        }
        for (name, unique) in &table.unique {
            if !by.columns().iter().all(|c| unique.columns().contains(c)) {
                self.error(Diagnostic::at_key(
                    format!("{at}/unique/{name}"),
                    format!("unique constraint `{name}` on partitioned table `{table_name}` must include the partition key ({})", by.columns().join(", ")),
                ));
            }
        }
        let _ = key;
        match partitions::expand(table_name, table) {
            Err(message) => self.error(Diagnostic::new(format!("{at}/partitions"), message)),
            Ok(parts) => {
                for part in &parts {
                    if part.name.len() > super::MAX_IDENTIFIER_BYTES {
                        self.identifier(&format!("{at}/partitions"), &part.name, false);
                    }
                }
            }
        }
        if let Some(partitions) = &table.partitions
            && partitions.generate.is_some()
            && !matches!(by, PartitionBy::Range(cols) if cols.len() == 1)
        {
            self.error(Diagnostic::at_key(
                format!("{at}/partitions/generate"),
                "generated partitions need `partition_by: { range: [one_column] }`",
            ));
        }
    }

    pub(super) fn column_list(
        &mut self,
        at: &str,
        table_name: &str,
        table: &Table,
        columns: &[String],
    ) {
        for (i, column) in columns.iter().enumerate() {
            if !table.columns.contains_key(column) {
                self.unknown_column(&format!("{at}/{i}"), table_name, table, column);
            }
        }
    }

    pub(super) fn unknown_column(
        &mut self,
        at: &str,
        table_name: &str,
        table: &Table,
        column: &str,
    ) {
        let near = table
            .columns
            .keys()
            .find(|k| strsim::damerau_levenshtein(k, column) <= 2);
        let hint = match near {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "columns of `{table_name}`: {}",
                table.columns.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        };
        self.error(
            Diagnostic::new(at, format!("table `{table_name}` has no column `{column}`"))
                .with_hint(hint),
        );
    }

    /// A foreign key from `columns` of the referencing table to `target` (`schema.table`).
    /// `referenced` pairs each explicitly named target column with where it is written,
    /// so that a wrong column is pointed at rather than the whole `references` block.
    fn foreign_key(
        &mut self,
        at: &str,
        (schema_name, table_name, table): (&str, &str, &Table),
        columns: &[String],
        target: &str,
        referenced: &[(String, String)],
    ) {
        let (ts, tt) = split_qualified(target, schema_name);
        // The long form names `schema` and `table` separately; the short form is one
        // string, which the position lookup falls back to.
        let Some(target_schema) = self.model.schemas.get(ts) else {
            self.error(
                Diagnostic::new(format!("{at}/schema"), format!("foreign key on `{table_name}` references schema `{ts}`, which the model does not define"))
                    .with_hint(format!("schemas of the model: {}", self.model.schemas.keys().cloned().collect::<Vec<_>>().join(", "))),
            );
            return;
        };
        let Some(target_table) = target_schema.tables.get(tt) else {
            let near = target_schema
                .tables
                .keys()
                .find(|k| strsim::damerau_levenshtein(k, tt) <= 2);
            let hint = match near {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!(
                    "tables in `{ts}`: {}",
                    target_schema
                        .tables
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.error(Diagnostic::new(format!("{at}/table"), format!("foreign key on `{table_name}` references table `{ts}.{tt}`, which does not exist")).with_hint(hint));
            return;
        };
        let target_columns: Vec<String> = if referenced.is_empty() {
            let pk = target_table.primary_key_columns();
            if pk.is_empty() {
                self.error(
                    Diagnostic::new(at, format!("`{ts}.{tt}` has no primary key to reference"))
                        .with_hint("name the referenced column"),
                );
                return;
            }
            pk
        } else {
            referenced.iter().map(|(name, _)| name.clone()).collect()
        };
        if target_columns.len() != columns.len() {
            self.error(Diagnostic::new(
                at,
                format!("foreign key on `{table_name}` has {} column(s) but references {} in `{ts}.{tt}`", columns.len(), target_columns.len()),
            ));
            return;
        }
        let table_at = pointer(["schemas", schema_name, "tables", table_name]);
        let mut all_exist = true;
        for (i, (local, remote)) in columns.iter().zip(&target_columns).enumerate() {
            let Some(remote_col) = target_table.columns.get(remote) else {
                all_exist = false;
                let remote_at = referenced.get(i).map_or(at, |(_, p)| p.as_str());
                let near = target_table
                    .columns
                    .keys()
                    .find(|k| strsim::damerau_levenshtein(k, remote) <= 2);
                let hint = match near {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!(
                        "columns of `{ts}.{tt}`: {}",
                        target_table
                            .columns
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(
                    Diagnostic::new(
                        remote_at,
                        format!("foreign key references column `{remote}` of `{ts}.{tt}`, which does not exist"),
                    )
                    .with_hint(hint),
                );
                continue;
            };
            let Some(local_col) = table.columns.get(local) else {
                continue;
            };
            let (Ok(lt), Ok(rt)) = (
                SqlType::parse(&local_col.ty),
                SqlType::parse(&remote_col.ty),
            ) else {
                continue;
            };
            let qualify = |t: SqlType, s: &str| match t {
                SqlType::Named { schema: None, name } => SqlType::Named {
                    schema: Some(s.to_string()),
                    name,
                },
                other => other,
            };
            if qualify(lt.storage(), schema_name) != qualify(rt.storage(), ts) {
                // Point at the referencing column's type: that is what the hint says to change.
                self.error(
                    Diagnostic::new(
                        format!("{table_at}/columns/{}/type", escape_pointer(local)),
                        format!(
                            "foreign key `{table_name}.{local}` ({}) references `{ts}.{tt}.{remote}` ({}): the types differ",
                            lt.storage(),
                            rt.storage()
                        ),
                    )
                    .with_hint(format!("make `{local}` `{}`", rt.storage())),
                );
            }
        }
        if !all_exist {
            return;
        }
        let unique_target = target_table.primary_key_columns() == target_columns
            || target_table
                .unique
                .values()
                .any(|u| u.columns() == target_columns.as_slice())
            || (target_columns.len() == 1
                && target_table
                    .columns
                    .get(&target_columns[0])
                    .is_some_and(|c| c.unique))
            || target_table.indexes.values().any(|i| {
                i.unique
                    && i.predicate.is_none()
                    && i.columns
                        .iter()
                        .map(|c| c.spec().column.unwrap_or_default())
                        .collect::<Vec<_>>()
                        == target_columns
            });
        if !unique_target {
            self.error(
                Diagnostic::new(at, format!("foreign key references `{ts}.{tt}` ({}), which is not a primary key or unique", target_columns.join(", ")))
                    .with_hint("a foreign key must reference a primary key or unique constraint"),
            );
        }
    }
}

/// Whether SQL `text` names `name` as an identifier: a bare word (folded to lower case) or
/// a double-quoted one, outside string literals.
fn names_identifier(text: &str, name: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A literal; '' inside it is an escaped quote, skipped as two literals.
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                let mut word = String::new();
                while let Some(c) = chars.next() {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    word.push(c);
                }
                if word == name {
                    return true;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = c.to_lowercase().to_string();
                while let Some(&c) = chars.peek() {
                    if !(c.is_alphanumeric() || c == '_' || c == '$') {
                        break;
                    }
                    word.extend(c.to_lowercase());
                    chars.next();
                }
                if word == name {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

impl Validator<'_> {
    /// `primary_key_include` and `primary_key_with` need a primary key, and the covering
    /// columns must be the table's.
    fn key_index(
        &mut self,
        at: &str,
        schema_name: &str,
        table_name: &str,
        table: &Table,
        pk_columns: &[&str],
    ) {
        self.column_list(
            &format!("{at}/primary_key_include"),
            table_name,
            table,
            &table.primary_key_include,
        );
        let has_key = !pk_columns.is_empty() || !table.primary_key.is_empty();
        let options = [
            ("primary_key_include", !table.primary_key_include.is_empty()),
            ("primary_key_with", !table.primary_key_with.is_empty()),
        ];
        for (key, set) in options {
            if set && !has_key {
                self.error(
                    Diagnostic::at_key(
                        format!("{at}/{key}"),
                        format!("table `{schema_name}.{table_name}` has no primary key for `{key}`"),
                    )
                    .with_hint("declare the key (`primary_key: true` on a column, or the table's `primary_key` list), or remove the option"),
                );
            }
        }
    }
}

#[cfg(test)]
mod names_identifier_tests {
    use super::names_identifier;

    #[test]
    fn finds_words_not_literals() {
        assert!(names_identifier("round(price * 100)::bigint", "price"));
        assert!(!names_identifier("round(price_cents * 100)", "price"));
        assert!(!names_identifier("'price'", "price"));
        assert!(names_identifier("\"Price\" + 1", "Price"));
        assert!(names_identifier("PRICE + 1", "price"));
    }
}
