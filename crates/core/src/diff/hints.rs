//! Instructions in the model about how to get from the old state to the new one, which
//! the catalogs cannot express: renames (`renamed_from`) and conversions (`using`) are
//! about history, not properties of either state.

use std::collections::BTreeMap;

use schemactl_model::Model;

use crate::catalog::QName;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// New table → old table name (same schema).
    pub tables: BTreeMap<QName, String>,
    /// (table, new column) → old column.
    pub columns: BTreeMap<(QName, String), String>,
    /// (table, column) → expression converting the old value on a type change. It names
    /// columns by their new names: renames run before type changes.
    pub using: BTreeMap<(QName, String), String>,
    /// The model owns every role of the cluster (`database.role_management: exclusive`):
    /// roles it does not declare are dropped. Otherwise no undeclared role ever is.
    pub exclusive_roles: bool,
}

impl Hints {
    pub fn from_model(model: &Model) -> Hints {
        let mut hints = Hints {
            exclusive_roles: model.database.role_management
                == schemactl_model::RoleManagement::Exclusive,
            ..Hints::default()
        };
        for (schema_name, schema) in &model.schemas {
            for (table_name, table) in &schema.tables {
                let q = QName::new(schema_name, table_name);
                if let Some(old) = &table.renamed_from {
                    hints.tables.insert(q.clone(), old.clone());
                }
                for (column_name, column) in &table.columns {
                    let key = (q.clone(), column_name.clone());
                    if let Some(old) = &column.renamed_from {
                        hints.columns.insert(key.clone(), old.clone());
                    }
                    if let Some(using) = &column.using {
                        hints.using.insert(key, using.clone());
                    }
                }
            }
        }
        hints
    }

    /// The hints for going back: renames the other way round, no conversions (a down
    /// step's casts are the server's defaults).
    pub fn reversed(&self) -> Hints {
        let mut back = Hints {
            exclusive_roles: self.exclusive_roles,
            ..Hints::default()
        };
        for (new, old) in &self.tables {
            back.tables
                .insert(QName::new(&new.schema, old), new.name.clone());
        }
        for ((table, new_col), old_col) in &self.columns {
            let table_then = match self.tables.get(table) {
                Some(old_table) => QName::new(&table.schema, old_table),
                None => table.clone(),
            };
            back.columns
                .insert((table_then, old_col.clone()), new_col.clone());
        }
        back
    }
}
