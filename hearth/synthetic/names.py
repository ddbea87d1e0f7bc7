"""Personal names for synthetic clients and users: common US first names by sex, surnames, nicknames.

Hand-written lists (not taken from any data set), in rough order of how common the names are; draws favour
the names early in a list, as real name frequencies do. Nicknames give duplicate client records the kind of
variation intake workers create (Robert on one record, Bob on the other).
"""

from __future__ import annotations

import numpy as np

FEMALE = """
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley
Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy
Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen Debra Rachel Carolyn
Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn
Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail Sophia
Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn Beverly Charlotte Natalie Theresa Diana
Brittany Doris Kayla Alexis Lori Marie Tiffany Crystal Rose Tammy Jasmine Latoya Keisha Tanisha Shanice Ebony
Destiny Aaliyah Imani Monique Yolanda Valerie Vanessa Veronica Rosa Guadalupe Carmen Yesenia Marisol Lucia Elena
Gabriela Adriana Alejandra Daisy Leticia Claudia Norma Irma Sylvia Esperanza Ana Juana Mayra Erica Tara Wendy
Dawn Robin Tonya Kristen Holly Misty April Melanie Courtney Chelsea Brianna Alyssa Taylor Morgan Destiny Jade
Trinity Kaylee Aubrey Savannah Brooklyn Leah Hailey Paige Mia Ava Chloe Zoe Lily Ella Avery Harper Layla Riley
Nevaeh Peyton Khloe Kennedy Jada Tatiana Shayla Kiara Precious Felicia Latasha Shameka Lakisha Regina Gwendolyn
Bonnie Peggy Loretta Lillian Annie Jo Connie Sherry Wanda Paula Rhonda Stacy Stacey Leslie Tina Kristin Erin
Michele Jill Dana Lorraine Beatrice Edna Irene Phyllis Norma Lois Geraldine Thelma Rosemary Vera Della Hazel
"""

MALE = """
James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond
Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian
Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel
Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Marcus
Darnell Tyrone DeShawn Jamal Terrell Malik Andre Darius Lamar Cedric Reginald Maurice Curtis Dwayne Travis Shawn
Corey Derrick Antonio Carlos Luis Miguel Jorge Pedro Manuel Francisco Ricardo Javier Alejandro Rafael Fernando
Hector Eduardo Roberto Sergio Mario Ramon Enrique Victor Oscar Ruben Julio Cesar Raul Angel Martin Jesus Armando
Leonard Earl Jimmy Danny Tony Johnny Ricky Clarence Howard Fred Ernest Stanley Leroy Melvin Herbert Glenn Lee
Chad Derek Troy Todd Shane Marvin Edwin Calvin Alvin Vernon Floyd Leon Clifford Lloyd Wesley Dale Allen Barry
Jamie Mitchell Cody Colton Caleb Luke Isaac Owen Hunter Connor Carter Wyatt Landon Jayden Aiden Jaxon Hudson
Xavier Dominic Damian Trevor Devin Dustin Brett Spencer Garrett Cameron Blake Chase Cole Grant Miles Quentin
Kendrick Jermaine Rashad Tremaine Demetrius Rodney Rodrigo Everett Herman Francis Harvey Lester Milton Otis
"""

SURNAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell
Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales
Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long
Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes
Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson
Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver
Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley
Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins
Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Guerrero George Chapman Rios
Estrada Ortega Watkins Greene Nunez Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson
Austin Dominguez Carr Lawson Jacobs Obrien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey Williamson
Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le McCoy Garrett Burton Fuller Wang Weber Welch Rojas Lucas
Marquez Fields Park Yang Little Banks Padilla Day Walsh Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer
May Holland Juarez Newman Pearson Curtis Cortez Douglas Schneider Joseph Barrett Navarro Figueroa Keller Avila
Wade Molina Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig Ayala Lowe
Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz Norris Jennings Watts Duran
Walters Cohen McDaniel Moran Parks Steele Vaughn Becker Holt Deleon Barker Terry Hale Leon Hail Benson Haynes
"""

NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Richard": "Rick",
    "James": "Jim",
    "John": "Jack",
    "Michael": "Mike",
    "Joseph": "Joe",
    "Thomas": "Tom",
    "Charles": "Charlie",
    "Christopher": "Chris",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Donald": "Don",
    "Steven": "Steve",
    "Andrew": "Andy",
    "Joshua": "Josh",
    "Kenneth": "Ken",
    "Timothy": "Tim",
    "Ronald": "Ron",
    "Edward": "Eddie",
    "Jeffrey": "Jeff",
    "Nicholas": "Nick",
    "Jonathan": "Jon",
    "Lawrence": "Larry",
    "Benjamin": "Ben",
    "Samuel": "Sam",
    "Gregory": "Greg",
    "Alexander": "Alex",
    "Patrick": "Pat",
    "Raymond": "Ray",
    "Gerald": "Jerry",
    "Douglas": "Doug",
    "Zachary": "Zack",
    "Frederick": "Fred",
    "Leonard": "Lenny",
    "Vincent": "Vince",
    "Elizabeth": "Liz",
    "Jennifer": "Jenny",
    "Patricia": "Pat",
    "Margaret": "Peggy",
    "Susan": "Sue",
    "Jessica": "Jess",
    "Kimberly": "Kim",
    "Rebecca": "Becky",
    "Katherine": "Kate",
    "Kathleen": "Kathy",
    "Deborah": "Debbie",
    "Pamela": "Pam",
    "Christine": "Chris",
    "Victoria": "Vicky",
    "Samantha": "Sam",
    "Stephanie": "Steph",
    "Cynthia": "Cindy",
    "Judith": "Judy",
    "Abigail": "Abby",
    "Jacqueline": "Jackie",
    "Catherine": "Cathy",
    "Theresa": "Terri",
    "Alexandra": "Alex",
    "Dorothy": "Dot",
    "Barbara": "Barb",
    "Angela": "Angie",
    "Gabriela": "Gaby",
    "Guadalupe": "Lupe",
    "Francisco": "Paco",
    "Jose": "Pepe",
    "Alejandro": "Alex",
    "Manuel": "Manny",
    "Roberto": "Beto",
    "Eduardo": "Lalo",
}

SUFFIXES = np.array(["Jr", "Sr", "II", "III", "IV"])
SUFFIX_WEIGHTS = np.array([0.55, 0.15, 0.12, 0.13, 0.05])


def _words(text: str) -> np.ndarray:
    return np.array(list(dict.fromkeys(text.split())))


FEMALE_NAMES = _words(FEMALE)
MALE_NAMES = _words(MALE)
SURNAME_LIST = _words(SURNAMES)


def _zipf(n: int, flatness: float) -> np.ndarray:
    weights = 1.0 / (np.arange(n) + flatness)
    return weights / weights.sum()


def draw(rng: np.random.Generator, names: np.ndarray, size: int, flatness: float = 12.0) -> np.ndarray:
    """``size`` names drawn with common names (early in the list) more likely."""
    return names[rng.choice(len(names), size=size, p=_zipf(len(names), flatness))]


def first_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """First names by sex (``female`` True for women and girls; anyone else gets a name from either list)."""
    size = len(female)
    women = draw(rng, FEMALE_NAMES, size)
    men = draw(rng, MALE_NAMES, size)
    return np.where(female, women, men)


def surnames(rng: np.random.Generator, size: int) -> np.ndarray:
    return draw(rng, SURNAME_LIST, size, flatness=25.0)
